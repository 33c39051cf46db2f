'use client';

import { NumberInput, SimpleGrid, Stack, Text } from '@mantine/core';
import type { RetryPolicyDto } from '@dumpstation/api-client';

/** The API's bounds for a database's `retry`. */
export const MAX_RETRY_ATTEMPTS = 10;
export const MAX_RETRY_DELAY_SECONDS = 86_400;
/** The API's default when a database is created without `retry`. */
export const DEFAULT_RETRY: RetryPolicyDto = { attempts: 0, delay_seconds: 60 };

/** The retry part of the database form. Numbers may be '' while being typed. */
export interface RetryValues {
  attempts: number | string;
  delaySeconds: number | string;
}

export function retryValues(policy: RetryPolicyDto | null | undefined): RetryValues {
  return {
    attempts: policy?.attempts ?? DEFAULT_RETRY.attempts,
    delaySeconds: policy?.delay_seconds ?? DEFAULT_RETRY.delay_seconds,
  };
}

/** The setting as the API takes it; an emptied field falls back to the default. */
export function retryPolicy(values: RetryValues): RetryPolicyDto {
  return {
    attempts: values.attempts === '' ? DEFAULT_RETRY.attempts : Number(values.attempts),
    delay_seconds: values.delaySeconds === '' ? DEFAULT_RETRY.delay_seconds : Number(values.delaySeconds),
  };
}

/** How many more attempts a failed backup gets, and how long it waits before each. */
export function RetryFields({
  values,
  onChange,
  error,
}: {
  values: RetryValues;
  onChange: (next: Partial<RetryValues>) => void;
  error: (field: string) => string | undefined;
}) {
  const numberProps = { allowDecimal: false, allowNegative: false, min: 0 } as const;
  return (
    <Stack gap="xs" data-testid="retry-fields">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NumberInput
          clampBehavior="none"
          label="Retry a failed backup"
          description={`Extra attempts after a failure, up to ${MAX_RETRY_ATTEMPTS}; 0: never`}
          name="retry_attempts"
          max={MAX_RETRY_ATTEMPTS}
          {...numberProps}
          value={values.attempts}
          onChange={(value) => onChange({ attempts: value })}
          error={error('retry.attempts') ?? error('retry')}
        />
        <NumberInput
          clampBehavior="none"
          label="Wait between attempts (seconds)"
          description={`From the failure to the next attempt, up to ${MAX_RETRY_DELAY_SECONDS.toLocaleString('en')}`}
          name="retry_delay_seconds"
          max={MAX_RETRY_DELAY_SECONDS}
          {...numberProps}
          value={values.delaySeconds}
          onChange={(value) => onChange({ delaySeconds: value })}
          error={error('retry.delay_seconds')}
        />
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        Each attempt is its own backup in the history (attempt 2, 3, …); the notification is sent when the last one
        ends.
      </Text>
    </Stack>
  );
}
