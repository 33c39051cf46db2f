'use client';

import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import type { SessionDto } from '@dumpstation/api-client';
import { useState, type FormEvent } from 'react';
import { useVerifyCode } from '@/hooks/queries/auth';
import { errorCode, errorMessage, formError } from '@/lib/api/errors';

/** Step 3, with 2FA on: an authenticator (TOTP) code or a recovery code, sent in X-2FA-Token. */
export function SecondFactorStep({
  username,
  otp,
  onSignedIn,
  onBack,
}: {
  username: string;
  otp: string;
  onSignedIn: (session: SessionDto) => void;
  onBack: () => void;
}) {
  const [token, setToken] = useState('');
  const verify = useVerifyCode();

  function submit(event: FormEvent) {
    event.preventDefault();
    verify.mutate({ body: { username, otp }, headers: { 'X-2FA-Token': token.trim() } }, { onSuccess: onSignedIn });
  }

  const code = errorCode(verify.error);
  const underField = code === 'INVALID_TWO_FACTOR' ? errorMessage(verify.error) : undefined;
  const problem = code === 'INVALID_TWO_FACTOR' ? undefined : formError(verify.error, []);
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">
          Two-factor authentication is on for <b>{username}</b>. Enter the code from your authenticator app, or one of
          your recovery codes.
        </Text>
        {problem ? (
          <Alert color="red" variant="light" role="alert">
            {problem}
            {code === 'INVALID_CODE' ? ' The sign-in code is no longer valid: start over to get a new one.' : null}
          </Alert>
        ) : null}
        <TextInput
          label="Authenticator or recovery code"
          name="two-factor"
          autoComplete="one-time-code"
          placeholder="123456 or xxxxx-xxxxx"
          autoFocus
          required
          value={token}
          onChange={(event) => setToken(event.currentTarget.value)}
          error={underField}
        />
        <Button type="submit" loading={verify.isPending} disabled={!token.trim()}>
          Verify
        </Button>
        <Anchor component="button" type="button" size="sm" onClick={onBack}>
          Start over
        </Anchor>
      </Stack>
    </form>
  );
}
