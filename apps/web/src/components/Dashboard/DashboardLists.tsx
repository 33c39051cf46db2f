'use client';

import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconClockExclamation } from '@tabler/icons-react';
import Link from 'next/link';
import { useRecentFailures, type StatsDto } from '@/hooks/queries/stats';
import { formatDateTime } from '@/lib/format';
import { DashboardPanel, PanelMessage } from './DashboardPanel';
import { formatAgo, formatRelative } from './time';

type DatabaseStats = StatsDto['databases'][number];

/** How many rows the lists of next runs and failures show. */
const TOP = 5;

const dbLink = (id: string, name: string) => (
  <Anchor component={Link} href={`/databases/${id}`} fw={600} size="sm" truncate>
    {name}
  </Anchor>
);

function maxAge(hours: number | null): string {
  if (hours === null) return '';
  return hours >= 48 && hours % 24 === 0 ? `${hours / 24} days` : `${Math.round(hours * 10) / 10} h`;
}

/** Why a database needs attention, in words. */
function attentionReason(db: DatabaseStats, now: number): string {
  if (db.protection === 'failing') return `Last backup failed ${formatAgo(db.last_failure_at, now, 'recently')}`;
  const age = db.max_age_hours === null ? '' : ` (max age ${maxAge(db.max_age_hours)})`;
  return db.last_success_at
    ? `Last success ${formatAgo(db.last_success_at, now)}${age}`
    : `No successful backup yet${age}`;
}

const ATTENTION_ORDER: Record<DatabaseStats['protection'], number> = { failing: 0, stale: 1, unscheduled: 2, ok: 3 };

/** The databases that are failing or stale, failing first, each linked to its page. */
export function AttentionList({ databases, now }: { databases: StatsDto['databases']; now: number }) {
  const attention = databases
    .filter((db) => db.protection === 'failing' || db.protection === 'stale')
    .sort((a, b) => ATTENTION_ORDER[a.protection] - ATTENTION_ORDER[b.protection] || a.name.localeCompare(b.name));
  return (
    <DashboardPanel title="Needs attention" testId="attention-list" count={attention.length}>
      {attention.length === 0 ? (
        <Group gap="xs" wrap="nowrap">
          <IconCircleCheck size={18} color="var(--mantine-color-teal-text)" aria-hidden />
          <PanelMessage>
            {databases.length === 0 ? 'No database yet.' : 'No database is failing or stale.'}
          </PanelMessage>
        </Group>
      ) : (
        <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {attention.map((db) => {
            const failing = db.protection === 'failing';
            return (
              <li key={db.id} data-testid={`attention-${db.id}`} data-protection={db.protection}>
                <Group justify="space-between" gap="xs" wrap="nowrap">
                  {dbLink(db.id, db.name)}
                  <Badge
                    color={failing ? 'red' : 'orange'}
                    variant="light"
                    leftSection={failing ? <IconAlertTriangle size={12} /> : <IconClockExclamation size={12} />}
                    style={{ flexShrink: 0 }}
                  >
                    {failing ? 'Failing' : 'Stale'}
                  </Badge>
                </Group>
                <Text size="xs" c="dimmed">
                  {attentionReason(db, now)}
                </Text>
              </li>
            );
          })}
        </Stack>
      )}
    </DashboardPanel>
  );
}

/** The next scheduled runs, soonest first. */
export function NextRuns({ databases, now }: { databases: StatsDto['databases']; now: number }) {
  const next = databases
    .filter((db): db is DatabaseStats & { next_run_at: string } => db.next_run_at !== null)
    .sort((a, b) => Date.parse(a.next_run_at) - Date.parse(b.next_run_at));
  return (
    <DashboardPanel title="Next scheduled runs" testId="next-runs" count={next.length}>
      {next.length === 0 ? (
        <PanelMessage>No database has a schedule.</PanelMessage>
      ) : (
        <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {next.slice(0, TOP).map((db) => (
            <li key={db.id} data-testid={`next-run-${db.id}`}>
              <Group justify="space-between" gap="xs" wrap="nowrap">
                {dbLink(db.id, db.name)}
                <Text size="sm" style={{ flexShrink: 0 }} title={formatDateTime(db.next_run_at)}>
                  {formatRelative(db.next_run_at, now)}
                </Text>
              </Group>
              <Text size="xs" c="dimmed">
                {formatDateTime(db.next_run_at)}
              </Text>
            </li>
          ))}
        </Stack>
      )}
    </DashboardPanel>
  );
}

/** The newest failed backups with their reason, each linked to its database. */
export function RecentFailures({ now }: { now: number }) {
  const failures = useRecentFailures(TOP);
  const items = failures.data?.items ?? [];
  return (
    <DashboardPanel title="Recent failures" testId="recent-failures" query={failures}>
      {items.length === 0 ? (
        <Group gap="xs" wrap="nowrap">
          <IconCircleCheck size={18} color="var(--mantine-color-teal-text)" aria-hidden />
          <PanelMessage>No backup has failed.</PanelMessage>
        </Group>
      ) : (
        <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {items.map((backup) => (
            <li key={backup.id} data-testid={`failure-${backup.id}`}>
              <Group justify="space-between" gap="xs" wrap="nowrap">
                {dbLink(backup.database_id, backup.database_name)}
                <Text
                  size="xs"
                  c="dimmed"
                  style={{ flexShrink: 0 }}
                  title={formatDateTime(backup.finished_at ?? backup.created_at)}
                >
                  {formatAgo(backup.finished_at ?? backup.created_at, now)}
                </Text>
              </Group>
              <Text size="xs" c="var(--mantine-color-red-text)" lineClamp={2} title={backup.error_message ?? undefined}>
                {backup.error_message ?? 'Failed, without a message'}
              </Text>
            </li>
          ))}
        </Stack>
      )}
    </DashboardPanel>
  );
}
