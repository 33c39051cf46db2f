import { Badge, Tooltip, VisuallyHidden } from '@mantine/core';
import type { BackupDto } from '@dumpstation/api-client';
import { retryOfLabel } from './status';

/**
 * "attempt N" beside the status of a retry (nothing for a first try); its tooltip, and the text
 * a screen reader reads with it, name the failed backup it retries.
 */
export function AttemptBadge({
  backup,
  original,
  testId = 'backup-attempt',
}: {
  backup: Pick<BackupDto, 'attempt' | 'retry_of_id'>;
  /** The backup it retries, when known. */
  original?: Pick<BackupDto, 'name'>;
  testId?: string;
}) {
  if (backup.attempt <= 1 && !backup.retry_of_id) return null;
  const label = retryOfLabel(original);
  return (
    <Tooltip label={label}>
      <Badge
        variant="outline"
        color="gray"
        size="xs"
        tt="none"
        style={{ flexShrink: 0 }}
        data-testid={testId}
        data-attempt={backup.attempt}
      >
        attempt {backup.attempt}
        <VisuallyHidden>, {label.charAt(0).toLowerCase() + label.slice(1)}</VisuallyHidden>
      </Badge>
    </Tooltip>
  );
}

/** "retried" beside the status of a failed backup that got another attempt. */
export function RetriedBadge({ attempt, retry }: { attempt: number; retry?: Pick<BackupDto, 'name'> }) {
  const label = retry ? `Retried as ${retry.name} (attempt ${attempt})` : `Retried as attempt ${attempt}`;
  return (
    <Tooltip label={label}>
      <Badge
        variant="outline"
        color="gray"
        size="xs"
        tt="none"
        style={{ flexShrink: 0 }}
        data-testid="backup-retried"
        data-attempt={attempt}
      >
        retried
        <VisuallyHidden> as attempt {attempt}</VisuallyHidden>
      </Badge>
    </Tooltip>
  );
}
