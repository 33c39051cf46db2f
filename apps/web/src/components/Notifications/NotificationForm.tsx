'use client';

import { Alert, Button, Checkbox, Group, Stack, Switch, Text, TextInput } from '@mantine/core';
import type { CreateNotificationDto, NotificationDto, UpdateNotificationDto } from '@dumpstation/api-client';
import { useState, type FormEvent } from 'react';
import { useCreateNotification, useUpdateNotification } from '@/hooks/queries/notifications';
import { fieldError, formError } from '@/lib/api/errors';

const FIELDS = ['name', 'webhook_url', 'on_success', 'on_failure', 'enabled'] as const;

interface NotificationValues {
  name: string;
  /** A new webhook URL; empty keeps the stored one. */
  webhookUrl: string;
  onSuccess: boolean;
  onFailure: boolean;
  enabled: boolean;
}

function initialValues(notification?: NotificationDto): NotificationValues {
  return {
    name: notification?.name ?? '',
    webhookUrl: '',
    onSuccess: notification?.on_success ?? true,
    onFailure: notification?.on_failure ?? true,
    enabled: notification?.enabled ?? true,
  };
}

function createBody(values: NotificationValues): CreateNotificationDto {
  return {
    name: values.name.trim(),
    webhook_url: values.webhookUrl.trim(),
    on_success: values.onSuccess,
    on_failure: values.onFailure,
    enabled: values.enabled,
  };
}

/** What changed; the stored webhook URL (write-only) stays unless a new one is typed. */
function updateBody(notification: NotificationDto, values: NotificationValues): UpdateNotificationDto {
  const body: UpdateNotificationDto = {};
  if (values.name.trim() !== notification.name) body.name = values.name.trim();
  if (values.webhookUrl.trim()) body.webhook_url = values.webhookUrl.trim();
  if (values.onSuccess !== notification.on_success) body.on_success = values.onSuccess;
  if (values.onFailure !== notification.on_failure) body.on_failure = values.onFailure;
  if (values.enabled !== notification.enabled) body.enabled = values.enabled;
  return body;
}

/** Adds a Discord webhook for backup outcomes, or edits `notification`. */
export function NotificationForm({
  notification,
  onSaved,
  onCancel,
}: {
  notification?: NotificationDto;
  onSaved: (notification: NotificationDto) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState(() => initialValues(notification));
  const create = useCreateNotification();
  const update = useUpdateNotification();
  const mutation = notification ? update : create;
  const error = mutation.error;
  const set = (next: Partial<NotificationValues>) => setValues((current) => ({ ...current, ...next }));

  function submit(event: FormEvent) {
    event.preventDefault();
    if (notification)
      update.mutate({ path: { id: notification.id }, body: updateBody(notification, values) }, { onSuccess: onSaved });
    else create.mutate({ body: createBody(values) }, { onSuccess: onSaved });
  }

  const problem = formError(error, FIELDS);
  const unchanged = notification ? Object.keys(updateBody(notification, values)).length === 0 : false;
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {problem ? (
          <Alert color="red" variant="light" role="alert">
            {problem}
          </Alert>
        ) : null}
        <TextInput
          label="Name"
          name="name"
          placeholder="ops-alerts"
          maxLength={100}
          required
          data-autofocus
          value={values.name}
          onChange={(event) => set({ name: event.currentTarget.value })}
          error={fieldError(error, 'name')}
        />
        <TextInput
          label="Discord webhook URL"
          name="webhook_url"
          type="url"
          autoComplete="off"
          required={!notification}
          placeholder={
            notification?.webhook_url_set
              ? 'A webhook is saved (hidden). Paste a new URL to replace it.'
              : 'https://discord.com/api/webhooks/…'
          }
          description="Discord: channel settings → Integrations → Webhooks. Stored encrypted and never shown again."
          value={values.webhookUrl}
          onChange={(event) => set({ webhookUrl: event.currentTarget.value })}
          error={fieldError(error, 'webhook_url')}
        />
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            Post when
          </Text>
          <Checkbox
            label="A backup succeeds"
            checked={values.onSuccess}
            onChange={(event) => set({ onSuccess: event.currentTarget.checked })}
            error={fieldError(error, 'on_success')}
          />
          <Checkbox
            label="A backup or restore fails"
            checked={values.onFailure}
            onChange={(event) => set({ onFailure: event.currentTarget.checked })}
            error={fieldError(error, 'on_failure')}
          />
        </Stack>
        <Switch
          label="Enabled"
          description="Databases using a disabled webhook do not post"
          checked={values.enabled}
          onChange={(event) => set({ enabled: event.currentTarget.checked })}
          error={fieldError(error, 'enabled')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button
            type="submit"
            loading={mutation.isPending}
            disabled={!values.name.trim() || (!notification && !values.webhookUrl.trim()) || unchanged}
          >
            {notification ? 'Save webhook' : 'Add webhook'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
