'use client';

import { Alert, Center, Group, Loader, Paper, Stack, ThemeIcon, Title } from '@mantine/core';
import { IconDatabaseExport } from '@tabler/icons-react';
import type { SessionDto } from '@dumpstation/api-client';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useSession } from '@/lib/auth/SessionProvider';
import { afterSignInPath } from '@/lib/auth/redirects';
import { DevCodeHint } from './DevCodeHint';
import { CodeStep } from './CodeStep';
import { IdentifyStep } from './IdentifyStep';
import { SecondFactorStep } from './SecondFactorStep';

type Step =
  | { kind: 'identify' }
  | { kind: 'code'; username: string; notice: string }
  | { kind: 'second-factor'; username: string; otp: string };

/** Sign-in: username → code from Discord → (with 2FA on) authenticator or recovery code. */
export function LoginForm() {
  const { status, endReason, signIn } = useSession();
  const router = useRouter();
  const params = useSearchParams();
  const [step, setStep] = useState<Step>({ kind: 'identify' });
  const [username, setUsername] = useState('');

  // Signed in (just now, or already when arriving here): into the console.
  useEffect(() => {
    if (status === 'authenticated') router.replace(afterSignInPath(params.get('next')));
  }, [status, params, router]);

  const onSignedIn = (session: SessionDto) => signIn(session);
  const startOver = () => setStep({ kind: 'identify' });
  const expired = params.has('expired') && endReason !== 'signed-out';

  return (
    <Center component="main" mih="100vh" p="md">
      <Paper withBorder radius="md" p="xl" maw={420} w="100%" shadow="sm">
        <Stack>
          <Group gap="sm">
            <ThemeIcon size="lg" radius="md" variant="filled" aria-hidden>
              <IconDatabaseExport size={20} stroke={1.8} />
            </ThemeIcon>
            <Title order={1} size="h3">
              Sign in to DumpStation
            </Title>
          </Group>
          {expired && step.kind === 'identify' ? (
            <Alert color="yellow" variant="light">
              Your session ended. Sign in again to continue.
            </Alert>
          ) : null}
          {step.kind !== 'second-factor' && status !== 'authenticated' ? <DevCodeHint /> : null}
          {status === 'authenticated' ? (
            <Center py="md">
              <Loader aria-label="Signing in" />
            </Center>
          ) : step.kind === 'identify' ? (
            <IdentifyStep
              initialUsername={username}
              onSent={(name, notice) => {
                setUsername(name);
                setStep({ kind: 'code', username: name, notice });
              }}
            />
          ) : step.kind === 'code' ? (
            <CodeStep
              key={step.username}
              username={step.username}
              notice={step.notice}
              onSignedIn={onSignedIn}
              onSecondFactor={(otp) => setStep({ kind: 'second-factor', username: step.username, otp })}
              onBack={startOver}
            />
          ) : (
            <SecondFactorStep username={step.username} otp={step.otp} onSignedIn={onSignedIn} onBack={startOver} />
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
