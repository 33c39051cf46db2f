'use client';

import { ActionIcon, Button, Group, Modal, Stack, Text, Tooltip, type ButtonProps } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';

interface ConfirmModalProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown> | void;
}

/** Asks before doing something that cannot be undone; `onConfirm` runs after it closes. */
export function ConfirmModal({ opened, onClose, title, message, confirmLabel, onConfirm }: ConfirmModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <Stack>
        <Text size="sm">{message}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            onClick={() => {
              onClose();
              void onConfirm();
            }}
          >
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

interface ConfirmButtonProps extends Omit<ButtonProps, 'onClick'> {
  children: ReactNode;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown> | void;
  'aria-label'?: string;
}

/** A button that asks before doing something that cannot be undone. */
export function ConfirmButton({ title, message, confirmLabel, onConfirm, children, ...button }: ConfirmButtonProps) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button color="red" variant="subtle" size="xs" {...button} onClick={open}>
        {children}
      </Button>
      <ConfirmModal
        opened={opened}
        onClose={close}
        title={title}
        message={message}
        confirmLabel={confirmLabel}
        onConfirm={onConfirm}
      />
    </>
  );
}

/** The same as an icon with a tooltip (`label`, also its accessible name), for dense rows. */
export function ConfirmActionIcon({
  label,
  icon,
  disabled,
  ...confirm
}: Omit<ConfirmModalProps, 'opened' | 'onClose'> & { label: string; icon: ReactNode; disabled?: boolean }) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Tooltip label={label}>
        <ActionIcon color="red" variant="subtle" disabled={disabled} onClick={open} aria-label={label}>
          {icon}
        </ActionIcon>
      </Tooltip>
      <ConfirmModal opened={opened} onClose={close} {...confirm} />
    </>
  );
}
