'use client';

import { Card, Group, SimpleGrid, Text, ThemeIcon } from '@mantine/core';
import {
  IconAlertTriangle,
  IconArchive,
  IconChartPie,
  IconCircleCheck,
  IconClockExclamation,
  IconDatabase,
  IconServer2,
  type Icon,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { Protection, StatsDto } from '@/hooks/queries/stats';
import { ByteSize } from '@/components/Common/ByteSize';
import { formatPercent } from './time';

interface StatCardProps {
  label: string;
  value: ReactNode;
  detail: ReactNode;
  icon: Icon;
  /** A colour for a state that needs attention; the detail says it in words too. */
  color?: string;
  testId: string;
  /** The number the card shows, for tests. */
  dataValue?: number | string;
}

function StatCard({ label, value, detail, icon: CardIcon, color, testId, dataValue }: StatCardProps) {
  return (
    <Card data-testid={testId} data-value={dataValue} padding="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Text size="xs" tt="uppercase" fw={600} c="dimmed">
          {label}
        </Text>
        <ThemeIcon variant="light" color={color ?? 'gray'} size="md" radius="md" aria-hidden>
          <CardIcon size={16} />
        </ThemeIcon>
      </Group>
      <Text
        fz={28}
        fw={700}
        lh={1.2}
        mt={4}
        c={color ? `var(--mantine-color-${color}-text)` : undefined}
        data-testid={`${testId}-value`}
      >
        {value}
      </Text>
      <Text size="sm" c="dimmed" mt={4} data-testid={`${testId}-detail`}>
        {detail}
      </Text>
    </Card>
  );
}

export function protectionCounts(databases: StatsDto['databases']): Record<Protection, number> {
  const counts: Record<Protection, number> = { ok: 0, stale: 0, failing: 0, unscheduled: 0 };
  for (const db of databases) counts[db.protection] += 1;
  return counts;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The counters an operator reads first: how many databases, which are unprotected, what ran, what it occupies. */
export function StatCards({ stats }: { stats: StatsDto }) {
  const counts = protectionCounts(stats.databases);
  const ended = stats.successful_backups_24h + stats.failed_backups_24h;
  const running = stats.total_backups_24h - ended;
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="md" data-testid="stat-cards">
      <StatCard
        label="Databases"
        testId="stat-databases"
        dataValue={stats.total_databases}
        icon={IconDatabase}
        value={stats.total_databases}
        detail={`${counts.ok} protected · ${counts.unscheduled} unscheduled`}
      />
      <StatCard
        label="Failing"
        testId="stat-failing"
        dataValue={counts.failing}
        icon={counts.failing ? IconAlertTriangle : IconCircleCheck}
        color={counts.failing ? 'red' : undefined}
        value={counts.failing}
        detail={
          counts.failing ? `${plural(counts.failing, 'database')} whose last backup failed` : 'No database failing'
        }
      />
      <StatCard
        label="Stale"
        testId="stat-stale"
        dataValue={counts.stale}
        icon={counts.stale ? IconClockExclamation : IconCircleCheck}
        color={counts.stale ? 'orange' : undefined}
        value={counts.stale}
        detail={
          counts.stale ? `${plural(counts.stale, 'database')} without a recent enough success` : 'No database stale'
        }
      />
      <StatCard
        label="Backups in 24 h"
        testId="stat-backups-24h"
        dataValue={stats.total_backups_24h}
        icon={IconArchive}
        color={stats.failed_backups_24h ? 'red' : undefined}
        value={stats.total_backups_24h}
        detail={
          <>
            {stats.successful_backups_24h} succeeded · {stats.failed_backups_24h} failed
            {running > 0 ? ` · ${running} not finished` : ''}
          </>
        }
      />
      <StatCard
        label="Success rate, 7 days"
        testId="stat-success-rate"
        dataValue={stats.success_rate_7d ?? ''}
        icon={IconChartPie}
        color={stats.success_rate_7d !== null && stats.success_rate_7d < 0.9 ? 'orange' : undefined}
        value={formatPercent(stats.success_rate_7d)}
        detail={stats.success_rate_7d === null ? 'No backup finished in 7 days' : 'Of the backups that finished'}
      />
      <StatCard
        label="Storage used"
        testId="stat-storage"
        dataValue={stats.total_storage_bytes}
        icon={IconServer2}
        value={<ByteSize bytes={stats.total_storage_bytes} />}
        detail={
          stats.storages.length
            ? `Kept backups, in ${plural(stats.storages.length, 'storage')}`
            : 'No storage configured'
        }
      />
    </SimpleGrid>
  );
}
