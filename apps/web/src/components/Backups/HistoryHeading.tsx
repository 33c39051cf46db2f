'use client';

import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { STATUS_LABELS } from './status';

/** A history card's heading: icon and title, then how many entries (of the filtered state) there are. */
export function HistoryHeading({
  icon,
  title,
  total,
  status,
  noun,
  testId,
}: {
  icon: ReactNode;
  title: string;
  total: number | undefined;
  status: keyof typeof STATUS_LABELS | null;
  /** Singular; an `s` is added for any other count. */
  noun: string;
  testId: string;
}) {
  return (
    <Stack gap={2}>
      <Group gap="xs">
        {icon}
        <Title order={2} size="h5">
          {title}
        </Title>
      </Group>
      {total !== undefined ? (
        <Text size="sm" c="dimmed" data-testid={testId}>
          {total} {status ? `${STATUS_LABELS[status].toLowerCase()} ` : ''}
          {total === 1 ? noun : `${noun}s`}
        </Text>
      ) : null}
    </Stack>
  );
}
