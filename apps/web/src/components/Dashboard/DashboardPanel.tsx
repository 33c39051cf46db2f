'use client';

import { Badge, Card, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useId, type ReactNode } from 'react';
import { QueryError } from '@/components/Common/QueryError';

interface DashboardPanelProps {
  title: string;
  testId: string;
  /** The query the panel shows: a skeleton while it first loads, its error if it failed. */
  query?: { isPending: boolean; error: unknown };
  /** A count beside the title. */
  count?: number;
  children: ReactNode;
}

/** A titled card of the dashboard (a list of runs, failures, databases). */
export function DashboardPanel({ title, testId, query, count, children }: DashboardPanelProps) {
  const titleId = useId();
  let body = children;
  if (query?.isPending) {
    body = (
      <Stack gap="xs" aria-busy="true">
        <Skeleton height={16} />
        <Skeleton height={16} width="70%" />
      </Stack>
    );
  } else if (query?.error) {
    body = <QueryError error={query.error} />;
  }
  return (
    <Card data-testid={testId} component="section" aria-labelledby={titleId}>
      <Group justify="space-between" mb="sm" gap="xs">
        <Title order={2} size="h5" id={titleId}>
          {title}
        </Title>
        {count !== undefined && count > 0 ? (
          <Badge variant="light" color="gray" aria-label={`${count} in all`}>
            {count}
          </Badge>
        ) : null}
      </Group>
      {body}
    </Card>
  );
}

export function PanelMessage({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed">
      {children}
    </Text>
  );
}
