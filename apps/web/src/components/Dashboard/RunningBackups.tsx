'use client';

import { Anchor, Group, Progress, Stack, Text } from '@mantine/core';
import Link from 'next/link';
import { usePreviousBackupSize, useNow, useRunningBackups, type TenantBackupDto } from '@/hooks/queries/stats';
import { backupProgress, useObservedRate } from '@/components/Backups/progress';
import { ByteSize } from '@/components/Common/ByteSize';
import { formatBytes, formatDuration } from '@/lib/format';
import { DashboardPanel, PanelMessage } from './DashboardPanel';

function RunningBackup({ backup, now }: { backup: TenantBackupDto; now: number }) {
  const expected = usePreviousBackupSize(backup.database_id);
  const observedRate = useObservedRate(backup.id, backup.bytes_processed, now);
  const { phase, label, bytes, elapsedMs, rate, percent, remainingMs } = backupProgress(
    backup,
    expected,
    now,
    observedRate,
  )!;
  const written = phase === 'dumping' ? `${formatBytes(bytes)} written` : label;
  return (
    <Stack gap={6} data-testid={`running-${backup.id}`} data-bytes={bytes} data-phase={phase}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Anchor component={Link} href={`/databases/${backup.database_id}`} fw={600} size="sm" truncate>
          {backup.database_name}
        </Anchor>
        <Text size="sm" c="dimmed" style={{ flexShrink: 0 }} data-testid={`running-${backup.id}-phase`}>
          {label}
          {percent !== null ? ` ${percent} %` : ''}
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
            ? `${written}${phase === 'dumping' ? ' (no earlier backup to compare with)' : ''}`
            : `${written}, about ${percent} % of the last backup's size`
        }
      >
        {/* Without an earlier size to compare with, the bar only says it is working. */}
        <Progress.Section value={percent ?? 100} withAria={false} color="blue" striped animated={percent === null} />
      </Progress.Root>
      <Text size="xs" c="dimmed" data-testid={`running-${backup.id}-facts`}>
        {phase === 'dumping' ? (
          <>
            <ByteSize bytes={bytes} testId={`running-${backup.id}-bytes`} />
            {expected ? (
              <>
                {' of about '}
                <ByteSize bytes={expected} />
              </>
            ) : null}
          </>
        ) : (
          // Never a bare "0 B": the phase above says what it waits for.
          <>
            nothing written yet
            {expected ? (
              <>
                {' (the last backup: '}
                <ByteSize bytes={expected} />)
              </>
            ) : null}
          </>
        )}{' '}
        · {rate === null ? '—' : `${formatBytes(rate)}/s`} ·{' '}
        {remainingMs !== null ? `about ${formatDuration(remainingMs)} left · ` : ''}
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
