'use client';

import { Notification, Portal, Stack } from '@mantine/core';
import { IconAlertTriangle, IconCheck } from '@tabler/icons-react';
import { useEffect, useSyncExternalStore } from 'react';

/** A short message in the corner of the console that goes away by itself. */
export interface Toast {
  id: number;
  title: string;
  message: string;
  color: 'teal' | 'red';
}

const AUTO_CLOSE_MS = 8_000;
let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((listener) => listener());

/** Shows a toast (any component, any time); it closes after AUTO_CLOSE_MS or when dismissed. */
export function showToast(toast: Omit<Toast, 'id'>): void {
  toasts = [...toasts, { ...toast, id: nextId++ }];
  emit();
}

function dismiss(id: number): void {
  toasts = toasts.filter((toast) => toast.id !== id);
  emit();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const EMPTY: Toast[] = [];

function ToastItem({ toast }: { toast: Toast }) {
  useEffect(() => {
    const timer = setTimeout(() => dismiss(toast.id), AUTO_CLOSE_MS);
    return () => clearTimeout(timer);
  }, [toast.id]);
  return (
    <Notification
      title={toast.title}
      color={toast.color}
      icon={toast.color === 'teal' ? <IconCheck size={18} /> : <IconAlertTriangle size={18} />}
      onClose={() => dismiss(toast.id)}
      closeButtonProps={{ 'aria-label': 'Dismiss' }}
      withBorder
      data-testid="toast"
      data-color={toast.color}
    >
      {toast.message}
    </Notification>
  );
}

/** Where the toasts show: mounted once, in the console's layout. */
export function ToastHost() {
  const current = useSyncExternalStore(
    subscribe,
    () => toasts,
    () => EMPTY,
  );
  if (current.length === 0) return null;
  return (
    <Portal>
      <Stack
        gap="xs"
        w={380}
        role="status"
        aria-live="polite"
        style={{ position: 'fixed', right: 16, bottom: 16, zIndex: 1000 }}
      >
        {current.map((toast) => (
          <ToastItem key={toast.id} toast={toast} />
        ))}
      </Stack>
    </Portal>
  );
}
