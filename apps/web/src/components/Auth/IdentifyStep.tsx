'use client';

import { Button, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { FormProblem } from '@/components/Common/FormProblem';
import { useRequestCode } from '@/hooks/queries/auth';
import { fieldError, formError } from '@/lib/api/errors';

/** Step 1: who is signing in; the API sends them a code on Discord. */
export function IdentifyStep({
  initialUsername,
  onSent,
}: {
  initialUsername: string;
  onSent: (username: string, notice: string) => void;
}) {
  const [username, setUsername] = useState(initialUsername);
  const requestCode = useRequestCode();

  function submit(event: FormEvent) {
    event.preventDefault();
    const value = username.trim();
    requestCode.mutate({ body: { username: value } }, { onSuccess: (answer) => onSent(value, answer.message) });
  }

  const problem = formError(requestCode.error, ['username']);
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text c="dimmed" size="sm">
          Enter your username or email. We send a one-time sign-in code to your Discord.
        </Text>
        <FormProblem message={problem} />
        <TextInput
          label="Username or email"
          name="username"
          autoComplete="username"
          autoFocus
          required
          value={username}
          onChange={(event) => setUsername(event.currentTarget.value)}
          error={fieldError(requestCode.error, 'username')}
        />
        <Button type="submit" loading={requestCode.isPending} disabled={!username.trim()}>
          Send code
        </Button>
      </Stack>
    </form>
  );
}
