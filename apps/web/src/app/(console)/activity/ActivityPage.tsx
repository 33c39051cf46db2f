'use client';

import { Card, Group, Pagination, Select, Skeleton, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ActivityTable } from '@/components/Activity/ActivityTable';
import { PageHeader } from '@/components/Common/PageHeader';
import { QueryError } from '@/components/Common/QueryError';
import { RequireRole } from '@/components/Common/RequireRole';
import { useActivityLogs, type ActivityLevel } from '@/hooks/queries/activity';

const LEVELS: { value: ActivityLevel; label: string }[] = [
  { value: 'info', label: 'Info' },
  { value: 'warn', label: 'Warnings' },
  { value: 'error', label: 'Errors' },
];

function ActivityLog() {
  const [page, setPage] = useState(1);
  const [level, setLevel] = useState<ActivityLevel | null>(null);
  const logs = useActivityLogs(page, level);

  return (
    <Card>
      <Stack>
        <Group justify="space-between">
          <Select
            aria-label="Level"
            placeholder="All levels"
            data={LEVELS}
            value={level}
            onChange={(value) => {
              setLevel(value as ActivityLevel | null);
              setPage(1);
            }}
            clearable
            w={180}
          />
          {logs.data ? (
            <Text size="sm" c="dimmed">
              {logs.data.total} {logs.data.total === 1 ? 'entry' : 'entries'}
            </Text>
          ) : null}
        </Group>
        {logs.data ? (
          <>
            <ActivityTable entries={logs.data.items} />
            {logs.data.total_pages > 1 ? (
              <Group justify="center">
                <Pagination total={logs.data.total_pages} value={page} onChange={setPage} />
              </Group>
            ) : null}
          </>
        ) : logs.isError ? (
          <QueryError error={logs.error} title="Could not load the activity log" />
        ) : (
          <Skeleton height={240} />
        )}
      </Stack>
    </Card>
  );
}

export function ActivityPage() {
  return (
    <Stack gap="lg" maw={1200}>
      <PageHeader title="Activity" description="Who did what in this tenant, newest first." />
      <RequireRole role="admin">
        <ActivityLog />
      </RequireRole>
    </Stack>
  );
}
