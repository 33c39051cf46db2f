'use client';

import { Alert, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import type { UpdateProfileDto, UserDto } from '@dumpstation/api-client';
import { useState, type FormEvent } from 'react';
import { FormProblem } from '@/components/Common/FormProblem';
import { useUpdateMe } from '@/hooks/queries/me';
import { fieldError, formError } from '@/lib/api/errors';
import { ConfirmationCodeField } from '@/components/Security/ConfirmationCodeField';
import { DiscordDeliveryFields, type DiscordDeliveryValues } from './DiscordDeliveryFields';

const FIELDS = [
  'display_name',
  'discord_delivery',
  'discord_user_id',
  'discord_webhook_url',
  'confirmation_code',
] as const;
/** Changing any of these moves where sign-in codes go: the API wants proof of the current factor. */
const DESTINATION_FIELDS = ['discord_delivery', 'discord_user_id', 'discord_webhook_url'] as const;

function initialValues(user: UserDto): DiscordDeliveryValues & { displayName: string } {
  return {
    displayName: user.display_name ?? '',
    delivery: user.discord_delivery,
    discordUserId: user.discord_user_id ?? '',
    webhookUrl: '',
    removeWebhook: false,
  };
}

/** Only what changed, so a stored webhook URL (write-only) is left alone unless replaced or removed. */
function changes(user: UserDto, values: ReturnType<typeof initialValues>): UpdateProfileDto {
  const body: UpdateProfileDto = {};
  const displayName = values.displayName.trim();
  if (displayName !== (user.display_name ?? '')) body.display_name = displayName || null;
  if (values.delivery !== user.discord_delivery) body.discord_delivery = values.delivery;
  const discordUserId = values.discordUserId.trim();
  if (discordUserId !== (user.discord_user_id ?? '')) body.discord_user_id = discordUserId || null;
  if (values.webhookUrl.trim()) body.discord_webhook_url = values.webhookUrl.trim();
  else if (values.removeWebhook) body.discord_webhook_url = null;
  return body;
}

export function ProfileForm({ user }: { user: UserDto }) {
  const [values, setValues] = useState(() => initialValues(user));
  const [confirmationCode, setConfirmationCode] = useState('');
  const update = useUpdateMe();
  const body = changes(user, values);
  const dirty = Object.keys(body).length > 0;
  const movesCodes = DESTINATION_FIELDS.some((field) => body[field] !== undefined);

  function submit(event: FormEvent) {
    event.preventDefault();
    update.mutate(
      { body: movesCodes && confirmationCode ? { ...body, confirmation_code: confirmationCode } : body },
      {
        onSuccess: (saved) => {
          setValues(initialValues(saved));
          setConfirmationCode('');
        },
      },
    );
  }

  const problem = formError(update.error, FIELDS);
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="lg">
        <FormProblem message={problem} />
        {update.isSuccess && !dirty ? (
          <Alert color="teal" variant="light">
            Profile saved.
          </Alert>
        ) : null}
        <Card>
          <Stack>
            <Title order={2} size="h4">
              Account
            </Title>
            <Group grow align="flex-start">
              <TextInput
                label="Username"
                value={user.username}
                readOnly
                variant="filled"
                description="What you sign in with"
              />
              <TextInput
                label="Email"
                value={user.email}
                readOnly
                variant="filled"
                description="Set by an admin when you were invited"
              />
            </Group>
            <TextInput
              label="Display name"
              name="display_name"
              maxLength={100}
              value={values.displayName}
              onChange={(event) => setValues({ ...values, displayName: event.currentTarget.value })}
              error={fieldError(update.error, 'display_name')}
            />
          </Stack>
        </Card>
        <Card>
          <Stack>
            <div>
              <Title order={2} size="h4">
                Sign-in codes on Discord
              </Title>
              <Text c="dimmed" size="sm">
                Where your one-time sign-in codes are sent.
              </Text>
            </div>
            <DiscordDeliveryFields
              user={user}
              values={values}
              onChange={(next) => setValues({ ...values, ...next })}
              error={update.error}
            />
            {movesCodes ? (
              <ConfirmationCodeField
                totpEnabled={user.totp_enabled}
                value={confirmationCode}
                onChange={setConfirmationCode}
                error={fieldError(update.error, 'confirmation_code')}
              />
            ) : null}
          </Stack>
        </Card>
        <Group justify="flex-end">
          <Button type="submit" loading={update.isPending} disabled={!dirty}>
            Save profile
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
