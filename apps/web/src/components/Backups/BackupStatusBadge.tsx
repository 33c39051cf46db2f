import { Badge, Group, Loader, Text } from '@mantine/core';
import type { BackupDto, RestoreDto } from '@dumpstation/api-client';
import { formatBytes } from '@/lib/format';
import { STATUS_COLORS, STATUS_LABELS } from './status';

/**
 * A backup's (or restore's) state: pending gray, running blue (with the bytes written so far,
 * for a backup), success green, failed red. A failed or skipped one tells why on hover.
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
  const bytes = 'bytes_processed' in job ? job.bytes_processed : undefined;
  const reason = job.status === 'failed' || job.status === 'skipped' ? job.error_message || undefined : undefined;
  return (
    <Group gap={6} wrap="nowrap">
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
      {running && bytes !== undefined ? (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} data-testid={`${testId}-bytes`}>
          {formatBytes(bytes)}
        </Text>
      ) : null}
    </Group>
  );
}
