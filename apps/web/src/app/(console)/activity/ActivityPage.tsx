'use client';

import { Card, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ActivityTable } from '@/components/Activity/ActivityTable';
import { FilterSelect } from '@/components/Common/FilterSelect';
import { PagedQuery } from '@/components/Common/PagedQuery';
import { PageHeader } from '@/components/Common/PageHeader';
import { RequireRole } from '@/components/Common/RequireRole';
import { useActivityLogs, type ActivityAction, type ActivityLevel } from '@/hooks/queries/activity';

const LEVELS: { value: ActivityLevel; label: string }[] = [
  { value: 'Info', label: 'Info' },
  { value: 'Warning', label: 'Warnings' },
  { value: 'Error', label: 'Errors' },
];

const ACTIONS: { value: ActivityAction; label: string }[] = [
  { value: 'Create', label: 'Created' },
  { value: 'Update', label: 'Changed' },
  { value: 'Delete', label: 'Deleted' },
  { value: 'Backup', label: 'Backups' },
  { value: 'Restore', label: 'Restores' },
  { value: 'Login', label: 'Sign-ins' },
  { value: 'Test', label: 'Connection tests' },
];

function ActivityLog() {
  const [page, setPage] = useState(1);
  const [level, setLevel] = useState<ActivityLevel | null>(null);
  const [action, setAction] = useState<ActivityAction | null>(null);
  const logs = useActivityLogs(page, { level, action });

  return (
    <Card>
      <Stack>
        <Group justify="space-between">
          <Group>
            <FilterSelect
              label="What"
              placeholder="Everything"
              data={ACTIONS}
              value={action}
              onChange={(value) => {
                setAction(value);
                setPage(1);
              }}
            />
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
          </Group>
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
