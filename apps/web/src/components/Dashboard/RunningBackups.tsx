'use client';

import { Anchor, Group, Progress, Stack, Text } from '@mantine/core';
import Link from 'next/link';
import { usePreviousBackupSize, useNow, useRunningBackups, type TenantBackupDto } from '@/hooks/queries/stats';
import { formatBytes, formatDuration } from '@/lib/format';
import { DashboardPanel, PanelMessage } from './DashboardPanel';

/** How far a running backup may seem to be, at most, while it runs (its real size is known only at the end). */
const MAX_SHOWN_PERCENT = 99;

function RunningBackup({ backup, now }: { backup: TenantBackupDto; now: number }) {
  const expected = usePreviousBackupSize(backup.database_id);
  const bytes = backup.bytes_processed;
  const elapsedMs = backup.started_at ? Math.max(0, now - Date.parse(backup.started_at)) : null;
  const rate = elapsedMs && elapsedMs >= 1_000 ? bytes / (elapsedMs / 1_000) : null;
  const percent = expected ? Math.min(MAX_SHOWN_PERCENT, Math.round((bytes / expected) * 100)) : null;
  const written = `${formatBytes(bytes)} written`;
  return (
    <Stack gap={6} data-testid={`running-${backup.id}`} data-bytes={bytes}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Anchor component={Link} href={`/databases/${backup.database_id}`} fw={600} size="sm" truncate>
          {backup.database_name}
        </Anchor>
        <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
          dumping…
        </Text>
      </Group>
      <Progress.Root
        size="lg"
        role="progressbar"
        aria-label={`Backup of ${backup.database_name}`}
        aria-valuemin={0}
        aria-valuemax={percent === null ? undefined : 100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={
          percent === null
            ? `${written} (no earlier backup to compare with)`
            : `${written}, about ${percent} % of the last backup's size`
        }
      >
        {/* Without an earlier size to compare with, the bar only says it is working. */}
        <Progress.Section value={percent ?? 100} withAria={false} color="blue" striped animated={percent === null} />
      </Progress.Root>
      <Text size="xs" c="dimmed" data-testid={`running-${backup.id}-facts`}>
        <span data-testid={`running-${backup.id}-bytes`}>{formatBytes(bytes)}</span>
        {expected ? ` of about ${formatBytes(expected)}` : ''} · {rate === null ? '—' : `${formatBytes(rate)}/s`} ·{' '}
        {formatDuration(elapsedMs)} elapsed
      </Text>
    </Stack>
  );
}

/** The backups running now, across databases, with their progress told by the live events. */
export function RunningBackups() {
  const running = useRunningBackups();
  const now = useNow();
  const items = running.data?.items ?? [];
  return (
    <DashboardPanel
      title="Running now"
      testId="running-backups"
      query={running}
      count={running.data ? running.data.total : undefined}
    >
      {items.length === 0 ? (
        <PanelMessage>No backup is running.</PanelMessage>
      ) : (
        <Stack gap="md">
          {items.map((backup) => (
            <RunningBackup key={backup.id} backup={backup} now={now} />
          ))}
        </Stack>
      )}
    </DashboardPanel>
  );
}
