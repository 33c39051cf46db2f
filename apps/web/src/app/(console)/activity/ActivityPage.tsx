'use client';

import { Card, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ActivityTable } from '@/components/Activity/ActivityTable';
import { FilterSelect } from '@/components/Common/FilterSelect';
import { PagedQuery } from '@/components/Common/PagedQuery';
import { PageHeader } from '@/components/Common/PageHeader';
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
          <FilterSelect
            label="Level"
            placeholder="All levels"
            data={LEVELS}
            value={level}
            onChange={(value) => {
              setLevel(value);
              setPage(1);
            }}
          />
          {logs.data ? (
            <Text size="sm" c="dimmed">
              {logs.data.total} {logs.data.total === 1 ? 'entry' : 'entries'}
            </Text>
          ) : null}
        </Group>
        <PagedQuery
          query={logs}
          page={page}
          onPageChange={setPage}
          errorTitle="Could not load the activity log"
          skeletonHeight={240}
        >
          {(items) => <ActivityTable entries={items} />}
        </PagedQuery>
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
