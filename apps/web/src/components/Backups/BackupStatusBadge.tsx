import { Badge, Loader } from '@mantine/core';
import type { BackupDto, RestoreDto } from '@dumpstation/api-client';
import { STATUS_COLORS, STATUS_LABELS } from './status';

/**
 * A backup's (or restore's) state: pending gray, running blue, success green, failed red (how far
 * a running backup is: BackupProgress). A failed or skipped one tells why on hover.
 */
export function BackupStatusBadge({
  job,
  testId = 'backup-status',
}: {
  job:
    | (Pick<BackupDto, 'status'> & Partial<Pick<BackupDto, 'bytes_processed' | 'error_message'>>)
    | (Pick<RestoreDto, 'status'> & Partial<Pick<RestoreDto, 'error_message'>>);
  testId?: string;
}) {
  const running = job.status === 'running';
  const reason = job.status === 'failed' || job.status === 'skipped' ? job.error_message || undefined : undefined;
  return (
    <Badge
      variant="light"
      color={STATUS_COLORS[job.status]}
      leftSection={running ? <Loader size={10} color="blue" /> : null}
      data-testid={testId}
      data-status={job.status}
      title={reason}
      style={{ flexShrink: 0 }}
    >
      {STATUS_LABELS[job.status]}
    </Badge>
  );
}
