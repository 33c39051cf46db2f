'use client';

import { Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import type { SessionDto } from '@dumpstation/api-client';
import { useState, type FormEvent } from 'react';
import { FormProblem } from '@/components/Common/FormProblem';
import { useRequestCode, useVerifyCode } from '@/hooks/queries/auth';
import { errorCode, errorMessage, fieldError, formError } from '@/lib/api/errors';

/** Step 2: the 6-digit code from Discord. With 2FA on, the API asks for a second factor next. */
export function CodeStep({
  username,
  notice,
  onSignedIn,
  onSecondFactor,
  onBack,
}: {
  username: string;
  notice: string;
  onSignedIn: (session: SessionDto) => void;
  onSecondFactor: (otp: string) => void;
  onBack: () => void;
}) {
  const [otp, setOtp] = useState('');
  const verify = useVerifyCode();
  const resend = useRequestCode();

  function submit(event: FormEvent) {
    event.preventDefault();
    const code = otp.trim();
    verify.mutate(
      { body: { username, otp: code } },
      {
        onSuccess: onSignedIn,
        onError: (error) => {
          if (errorCode(error) === 'TWO_FACTOR_REQUIRED') onSecondFactor(code);
        },
      },
    );
  }

  const code = errorCode(verify.error);
  const shown = code === 'TWO_FACTOR_REQUIRED' ? null : verify.error;
  const underField = code === 'INVALID_CODE' ? errorMessage(shown) : fieldError(shown, 'otp');
  const problem = code === 'INVALID_CODE' ? undefined : formError(shown, ['otp']);
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">
          Enter the 6-digit code sent on Discord for <b>{username}</b>.
        </Text>
        <Text c="dimmed" size="xs">
          {notice}
        </Text>
        <FormProblem message={problem} />
        <TextInput
          label="Sign-in code"
          name="otp"
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={6}
          autoFocus
          required
          value={otp}
          onChange={(event) => setOtp(event.currentTarget.value.replace(/\D/g, ''))}
          error={underField}
        />
        <Button type="submit" loading={verify.isPending} disabled={otp.length !== 6}>
          Sign in
        </Button>
        <Group justify="space-between">
          <Anchor component="button" type="button" size="sm" onClick={onBack}>
            Use another account
          </Anchor>
          <Anchor
            component="button"
            type="button"
            size="sm"
            disabled={resend.isPending}
            onClick={() => resend.mutate({ body: { username } })}
          >
            {resend.isSuccess ? 'New code sent' : 'Send a new code'}
          </Anchor>
        </Group>
      </Stack>
    </form>
  );
}
