import { Alert } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { errorMessage } from '@/lib/api/errors';

/** An inline alert for a failed query or mutation. */
export function QueryError({ error, title = 'Could not load this' }: { error: unknown; title?: string }) {
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle />} title={title} role="alert">
      {errorMessage(error)}
    </Alert>
  );
}
