'use client';

import { Button, Group, Text, TextInput } from '@mantine/core';
import { useSendConfirmationCode } from '@/hooks/queries/two-factor';
import { errorMessage } from '@/lib/api/errors';

/**
 * Proof of the current sign-in factor for changes that guard sign-in: a TOTP or recovery code
 * when 2FA is on, otherwise a fresh code the API sends where codes go now.
 */
export function ConfirmationCodeField({
  totpEnabled,
  value,
  onChange,
  error,
}: {
  totpEnabled: boolean;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  const send = useSendConfirmationCode();
  return (
    <div>
      <Group align="flex-end" gap="sm" wrap="nowrap">
        <TextInput
          style={{ flex: 1 }}
          label="Confirmation code"
          name="confirmation_code"
          autoComplete="one-time-code"
          description={
            totpEnabled
              ? 'A code from your authenticator app (or a recovery code)'
              : 'A fresh code sent to where your sign-in codes go now'
          }
          value={value}
          onChange={(event) => onChange(event.currentTarget.value.trim())}
          error={error}
        />
        {totpEnabled ? null : (
          <Button variant="default" loading={send.isPending} onClick={() => send.mutate({})}>
            {send.isSuccess ? 'Send another code' : 'Send me a code'}
          </Button>
        )}
      </Group>
      {send.isSuccess ? (
        <Text size="xs" c="dimmed" mt={4} data-testid="confirmation-code-sent">
          Code sent on Discord.
        </Text>
      ) : null}
      {send.isError ? (
        <Text size="xs" c="red" mt={4}>
          {errorMessage(send.error)}
        </Text>
      ) : null}
    </div>
  );
}
