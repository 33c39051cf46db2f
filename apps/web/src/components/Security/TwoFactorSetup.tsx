'use client';

import { Button, Code, Group, Image, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import type { TwoFactorSetupDto } from '@dumpstation/api-client';
import { useState, type FormEvent } from 'react';
import { FormProblem } from '@/components/Common/FormProblem';
import { useConfirmTwoFactorSetup } from '@/hooks/queries/two-factor';
import { ConfirmationCodeField } from './ConfirmationCodeField';
import { fieldError, formError } from '@/lib/api/errors';

/** Scan the QR code (or type the secret), then confirm with a first code. */
export function TwoFactorSetup({
  setup,
  onConfirmed,
  onCancel,
}: {
  setup: TwoFactorSetupDto;
  onConfirmed: (recoveryCodes: string[]) => void;
  onCancel: () => void;
}) {
  const [code, setCode] = useState('');
  const [confirmationCode, setConfirmationCode] = useState('');
  const confirm = useConfirmTwoFactorSetup();

  function submit(event: FormEvent) {
    event.preventDefault();
    confirm.mutate(
      { body: { code: code.trim(), confirmation_code: confirmationCode } },
      { onSuccess: (answer) => onConfirmed(answer.recovery_codes) },
    );
  }

  const problem = formError(confirm.error, ['code', 'confirmation_code']);
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xl">
      <Stack align="center" gap="xs">
        <Image
          src={setup.qr_code_data_url}
          alt="QR code to add DumpStation to your authenticator app"
          w={200}
          h={200}
          radius="sm"
          data-testid="totp-qr"
        />
        <Text size="xs" c="dimmed">
          Can&apos;t scan it? Enter this key:
        </Text>
        <Code data-testid="totp-secret" style={{ wordBreak: 'break-all', textAlign: 'center' }}>
          {setup.secret}
        </Code>
      </Stack>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">
            Scan the QR code with an authenticator app (1Password, Google Authenticator, Aegis…), then enter the 6-digit
            code it shows. To prove it is you, also confirm with a fresh code sent on Discord.
          </Text>
          <FormProblem message={problem} />
          <TextInput
            label="Code from your app"
            name="code"
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={6}
            autoFocus
            value={code}
            onChange={(event) => setCode(event.currentTarget.value.replace(/\D/g, ''))}
            error={fieldError(confirm.error, 'code')}
          />
          <ConfirmationCodeField
            totpEnabled={false}
            value={confirmationCode}
            onChange={setConfirmationCode}
            error={fieldError(confirm.error, 'confirmation_code')}
          />
          <Group>
            <Button type="submit" loading={confirm.isPending} disabled={code.length !== 6 || !confirmationCode}>
              Turn on
            </Button>
            <Button variant="default" onClick={onCancel} disabled={confirm.isPending}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </SimpleGrid>
  );
}
