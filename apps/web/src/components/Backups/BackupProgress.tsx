'use client';

import { Progress, Stack, Text } from '@mantine/core';
import type { BackupDto } from '@dumpstation/api-client';
import { ByteSize } from '@/components/Common/ByteSize';
import { useNow, usePreviousBackupSize } from '@/hooks/queries/stats';
import { formatDuration } from '@/lib/format';
import { backupProgress, useObservedRate } from './progress';

/**
 * Under a pending or running backup's status: what it is doing in words (never a bare "0 B"),
 * the bytes so far, and, when the database's previous successful backup says how big it gets, a
 * percentage and the time left; how long it has run. Renders nothing once it has ended.
 */
export function BackupProgress({
  backup,
}: {
  backup: Pick<BackupDto, 'id' | 'database_id' | 'status' | 'bytes_processed' | 'started_at' | 'queue_position'>;
}) {
  const expected = usePreviousBackupSize(backup.database_id);
  const now = useNow();
  const observedRate = useObservedRate(backup.id, backup.bytes_processed ?? 0, now);
  const facts = backupProgress(backup, expected, now, observedRate);
  if (!facts) return null;
  const { phase, label, bytes, percent, remainingMs, elapsedMs } = facts;
  const timing = [
    remainingMs !== null ? `about ${formatDuration(remainingMs)} left` : null,
    elapsedMs !== null ? `${formatDuration(elapsedMs)} elapsed` : null,
  ].filter(Boolean);
  return (
    <Stack
      gap={2}
      data-testid="backup-progress"
      data-phase={phase}
      data-percent={percent ?? undefined}
      data-bytes={bytes}
      style={{ whiteSpace: 'nowrap' }}
    >
      <Text size="xs" c="dimmed" data-testid="backup-progress-phase">
        {label}
        {phase === 'queued' && backup.queue_position ? ` (#${backup.queue_position} in line)` : null}
        {phase === 'dumping' ? (
          <>
            {' '}
            <ByteSize bytes={bytes} testId="backup-progress-bytes" />
          </>
        ) : null}
        {percent !== null ? <span data-testid="backup-progress-percent">{` · ${percent} %`}</span> : null}
      </Text>
      {percent !== null ? (
        <Progress
          size="xs"
          value={percent}
          aria-label={`Backup progress, about ${percent} % of the last backup's size`}
          w={140}
        />
      ) : null}
      {timing.length ? (
        <Text size="xs" c="dimmed" data-testid="backup-progress-timing">
          {timing.join(' · ')}
        </Text>
      ) : null}
    </Stack>
  );
}
