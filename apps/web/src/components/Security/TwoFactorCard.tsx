'use client';

import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { TwoFactorSetupDto, UserDto } from '@dumpstation/api-client';
import { useState } from 'react';
import { useStartTwoFactorSetup } from '@/hooks/queries/two-factor';
import { errorMessage } from '@/lib/api/errors';
import { DisableTwoFactorForm } from './DisableTwoFactorForm';
import { RecoveryCodes } from './RecoveryCodes';
import { TwoFactorSetup } from './TwoFactorSetup';

type Flow =
  | { step: 'status' }
  | { step: 'setup'; setup: TwoFactorSetupDto }
  | { step: 'recovery-codes'; codes: string[] }
  | { step: 'disable' };

export function TwoFactorCard({ user }: { user: UserDto }) {
  const [flow, setFlow] = useState<Flow>({ step: 'status' });
  const start = useStartTwoFactorSetup();
  const backToStatus = () => setFlow({ step: 'status' });

  return (
    <Card data-testid="two-factor-card">
      <Stack>
        <Group justify="space-between">
          <div>
            <Title order={2} size="h4">
              Two-factor authentication
            </Title>
            <Text c="dimmed" size="sm">
              After the code from Discord, also ask for a code from an authenticator app.
            </Text>
          </div>
          <Badge size="lg" variant="light" color={user.totp_enabled ? 'teal' : 'gray'} data-testid="two-factor-status">
            {user.totp_enabled ? 'On' : 'Off'}
          </Badge>
        </Group>

        {flow.step === 'setup' ? (
          <TwoFactorSetup
            setup={flow.setup}
            onConfirmed={(codes) => setFlow({ step: 'recovery-codes', codes })}
            onCancel={backToStatus}
          />
        ) : flow.step === 'recovery-codes' ? (
          <RecoveryCodes codes={flow.codes} onDone={backToStatus} />
        ) : flow.step === 'disable' ? (
          <DisableTwoFactorForm onDone={backToStatus} onCancel={backToStatus} />
        ) : user.totp_enabled ? (
          <Group>
            <Button color="red" variant="light" onClick={() => setFlow({ step: 'disable' })}>
              Disable
            </Button>
          </Group>
        ) : (
          <Stack>
            {start.isError ? (
              <Alert color="red" variant="light" role="alert">
                {errorMessage(start.error)}
              </Alert>
            ) : null}
            <Group>
              <Button
                loading={start.isPending}
                onClick={() => start.mutate({}, { onSuccess: (setup) => setFlow({ step: 'setup', setup }) })}
              >
                Set up
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
