'use client';

import { Card, SimpleGrid, Skeleton, Stack } from '@mantine/core';
import { QueryError } from '@/components/Common/QueryError';
import { useNow, useStats } from '@/hooks/queries/stats';
import { DashboardCharts } from './DashboardCharts';
import { AttentionList, NextRuns, RecentFailures } from './DashboardLists';
import { RunningBackups } from './RunningBackups';
import { StatCards } from './StatCards';

function DashboardSkeleton() {
  return (
    <Stack gap="md" aria-busy="true" data-testid="dashboard-loading">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="md">
        {Array.from({ length: 6 }, (_, i) => (
          <Card key={i} padding="md">
            <Skeleton height={12} width="50%" mb="sm" />
            <Skeleton height={28} width="30%" mb="sm" />
            <Skeleton height={12} width="70%" />
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

/**
 * The tenant at a glance (GET /stats, the running and failed backups): counters first, then what
 * needs attention and what runs, then the 30-day trends and what comes next. Kept current by the
 * live events, without polling while they are up.
 */
export function Dashboard() {
  const stats = useStats();
  // Relative times ("in 3 hours") move on slowly; the running backups tick every second on their own.
  // Never behind the data it tells about.
  const now = Math.max(useNow(30_000), stats.dataUpdatedAt);
  if (stats.isPending) return <DashboardSkeleton />;
  if (stats.error) return <QueryError error={stats.error} title="Could not load the dashboard" />;
  const data = stats.data;
  return (
    <Stack gap="md" data-testid="dashboard">
      <StatCards stats={data} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <AttentionList databases={data.databases} now={now} />
        <RunningBackups />
      </SimpleGrid>
      <DashboardCharts daily={data.daily} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <NextRuns databases={data.databases} now={now} />
        <RecentFailures now={now} />
      </SimpleGrid>
    </Stack>
  );
}
