'use client';

import { Checkbox, Stack, Switch, Text, TextInput } from '@mantine/core';
import type { CreateNotificationDto, NotificationDto, UpdateNotificationDto } from '@dumpstation/api-client';
import { NameField, ResourceForm, useResourceForm } from '@/components/Common/ResourceForm';
import {
  useCreateNotification,
  useTestNotification,
  useTestUnsavedNotification,
  useUpdateNotification,
} from '@/hooks/queries/notifications';
import { fieldError } from '@/lib/api/errors';

const FIELDS = ['name', 'discord_webhook_url', 'on_success', 'on_failure', 'enabled'] as const;

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
    discord_webhook_url: values.webhookUrl.trim(),
    on_success: values.onSuccess,
    on_failure: values.onFailure,
    enabled: values.enabled,
  };
}

/** What changed; the stored webhook URL (write-only) stays unless a new one is typed. */
function updateBody(notification: NotificationDto, values: NotificationValues): UpdateNotificationDto {
  const body: UpdateNotificationDto = {};
  if (values.name.trim() !== notification.name) body.name = values.name.trim();
  if (values.webhookUrl.trim()) body.discord_webhook_url = values.webhookUrl.trim();
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
  const form = useResourceForm({
    item: notification,
    initialValues,
    fields: FIELDS,
    create: useCreateNotification(),
    update: useUpdateNotification(),
    createBody,
    updateBody,
    onSaved,
    test: {
      unsaved: useTestUnsavedNotification(),
      saved: useTestNotification(),
      unsavedBody: createBody,
      changesBody: updateBody,
    },
  });
  const { values, set, error } = form;

  return (
    <ResourceForm
      form={form}
      submitLabel={notification ? 'Save webhook' : 'Add webhook'}
      ready={Boolean(values.name.trim()) && (Boolean(notification) || Boolean(values.webhookUrl.trim()))}
      onCancel={onCancel}
    >
      <NameField form={form} placeholder="ops-alerts" />
      <TextInput
        label="Discord webhook URL"
        name="discord_webhook_url"
        type="url"
        autoComplete="off"
        required={!notification}
        placeholder={
          notification?.discord_webhook_url_set
            ? 'A webhook is saved (hidden). Paste a new URL to replace it.'
            : 'https://discord.com/api/webhooks/…'
        }
        description="Discord: channel settings → Integrations → Webhooks. Stored encrypted and never shown again."
        value={values.webhookUrl}
        onChange={(event) => set({ webhookUrl: event.currentTarget.value })}
        error={fieldError(error, 'discord_webhook_url')}
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
    </ResourceForm>
  );
}
