import { Alert, Stack, Text } from '@mantine/core';
import { IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { errorMessage } from '@/lib/api/errors';

export interface CheckResult {
  ok: boolean;
  message: string;
}

/**
 * The outcome of a "Test" (storage probe, webhook message, database connection), in words:
 * green when it worked, red with the API's reason when it did not (or when the request itself was refused).
 */
export function CheckResultAlert({
  subject,
  result,
  error,
  onClose,
  children,
  testId,
  titles,
}: {
  /** What was tested, e.g. “backups-eu”. */
  subject: string;
  result?: CheckResult;
  error?: unknown;
  onClose?: () => void;
  /** Extra facts under the message (e.g. versions). */
  children?: ReactNode;
  testId?: string;
  /** Other titles than “Could not test X”, “X: test passed” and “X: test failed”. */
  titles?: { error: string; passed: string; failed: string };
}) {
  const ok = !error && result?.ok === true;
  const {
    error: errorTitle,
    passed,
    failed,
  } = titles ?? {
    error: `Could not test ${subject}`,
    passed: `${subject}: test passed`,
    failed: `${subject}: test failed`,
  };
  const title = error ? errorTitle : ok ? passed : failed;
  return (
    <Alert
      color={ok ? 'teal' : 'red'}
      variant="light"
      icon={ok ? <IconCircleCheck /> : <IconCircleX />}
      title={title}
      role={ok ? 'status' : 'alert'}
      withCloseButton={Boolean(onClose)}
      closeButtonLabel="Dismiss"
      onClose={onClose}
      data-testid={testId}
      data-ok={ok}
    >
      <Stack gap="xs">
        <Text size="sm" data-testid={testId ? `${testId}-message` : undefined}>
          {error ? errorMessage(error) : result?.message}
        </Text>
        {children}
      </Stack>
    </Alert>
  );
}
