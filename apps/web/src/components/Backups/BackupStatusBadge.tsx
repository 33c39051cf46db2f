import { Badge, Loader } from '@mantine/core';
import type { BackupDto, RestoreDto } from '@dumpstation/api-client';
import { STATUS_COLORS, STATUS_LABELS } from './status';

/**
 * A backup's (or restore's) state: pending gray, running blue, success green, failed red (how far
 * a running backup is: BackupProgress).
 */
export function BackupStatusBadge({
  job,
  testId = 'backup-status',
}: {
  job: (Pick<BackupDto, 'status'> & Partial<Pick<BackupDto, 'bytes_processed'>>) | Pick<RestoreDto, 'status'>;
  testId?: string;
}) {
  const running = job.status === 'running';
  return (
    <Badge
      variant="light"
      color={STATUS_COLORS[job.status]}
      leftSection={running ? <Loader size={10} color="blue" /> : null}
      data-testid={testId}
      data-status={job.status}
      style={{ flexShrink: 0 }}
    >
      {STATUS_LABELS[job.status]}
    </Badge>
  );
}
