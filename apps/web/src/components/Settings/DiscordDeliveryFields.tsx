'use client';

import { Checkbox, Select, Stack, TextInput } from '@mantine/core';
import type { UserDto } from '@dumpstation/api-client';
import { fieldError } from '@/lib/api/errors';

export interface DiscordDeliveryValues {
  delivery: UserDto['discord_delivery'];
  discordUserId: string;
  /** A new webhook URL; empty keeps the stored one. */
  webhookUrl: string;
  removeWebhook: boolean;
}

const DELIVERIES: { value: UserDto['discord_delivery']; label: string }[] = [
  { value: 'none', label: 'The instance default' },
  { value: 'webhook', label: 'My Discord webhook' },
  { value: 'bot_dm', label: 'A direct message from the bot' },
];

export function DiscordDeliveryFields({
  user,
  values,
  onChange,
  error,
}: {
  user: UserDto;
  values: DiscordDeliveryValues;
  onChange: (values: Partial<DiscordDeliveryValues>) => void;
  error: unknown;
}) {
  return (
    <Stack>
      <Select
        label="Send my codes to"
        data={DELIVERIES}
        value={values.delivery}
        onChange={(value) => value && onChange({ delivery: value as UserDto['discord_delivery'] })}
        allowDeselect={false}
        error={fieldError(error, 'discord_delivery')}
      />
      {values.delivery === 'webhook' || user.discord_webhook_url_set ? (
        <>
          <TextInput
            label="Discord webhook URL"
            name="discord_webhook_url"
            type="url"
            autoComplete="off"
            placeholder={
              user.discord_webhook_url_set
                ? 'A webhook is saved (hidden). Paste a new URL to replace it.'
                : 'https://discord.com/api/webhooks/…'
            }
            description="Stored encrypted and never shown again."
            value={values.webhookUrl}
            onChange={(event) => onChange({ webhookUrl: event.currentTarget.value, removeWebhook: false })}
            error={fieldError(error, 'discord_webhook_url')}
          />
          {user.discord_webhook_url_set ? (
            <Checkbox
              label="Remove the saved webhook"
              checked={values.removeWebhook}
              disabled={Boolean(values.webhookUrl.trim())}
              onChange={(event) => onChange({ removeWebhook: event.currentTarget.checked })}
            />
          ) : null}
        </>
      ) : null}
      {values.delivery === 'bot_dm' || user.discord_user_id ? (
        <TextInput
          label="Discord user id"
          name="discord_user_id"
          inputMode="numeric"
          placeholder="80351110224678912"
          description="Discord: Settings → Advanced → Developer mode, then right-click your name → Copy User ID."
          value={values.discordUserId}
          onChange={(event) => onChange({ discordUserId: event.currentTarget.value })}
          error={fieldError(error, 'discord_user_id')}
        />
      ) : null}
    </Stack>
  );
}
