'use client';

import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { FormProblem } from '@/components/Common/FormProblem';
import { useDisableTwoFactor } from '@/hooks/queries/two-factor';
import { fieldError, formError } from '@/lib/api/errors';

/** Turning 2FA off needs a current authenticator code or a recovery code. */
export function DisableTwoFactorForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const [code, setCode] = useState('');
  const disable = useDisableTwoFactor();

  function submit(event: FormEvent) {
    event.preventDefault();
    disable.mutate({ body: { code: code.trim() } }, { onSuccess: onDone });
  }

  const problem = formError(disable.error, ['code']);
  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={420}>
        <Text size="sm">Enter a code from your authenticator app, or a recovery code, to turn two-factor off.</Text>
        <FormProblem message={problem} />
        <TextInput
          label="Authenticator or recovery code"
          name="code"
          autoComplete="one-time-code"
          autoFocus
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          error={fieldError(disable.error, 'code')}
        />
        <Group>
          <Button type="submit" color="red" loading={disable.isPending} disabled={!code.trim()}>
            Turn off
          </Button>
          <Button variant="default" onClick={onCancel} disabled={disable.isPending}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
