import type { BackupDto } from '@dumpstation/api-client';
import type { BackupStatus, BackupStatusFilter } from '@/hooks/queries/backups';

export const STATUS_LABELS: Record<BackupStatus, string> = {
  pending: 'Pending',
  running: 'Running',
  success: 'Success',
  failed: 'Failed',
  skipped: 'Skipped',
  deleted: 'Deleted',
};

export const STATUS_COLORS: Record<BackupStatus, string> = {
  pending: 'gray',
  running: 'blue',
  success: 'green',
  failed: 'red',
  /** A schedule slot that did not run (missed, or the previous backup still running): error_message says why. */
  skipped: 'yellow',
  /** Removed by retention: kept in the history, its objects gone. */
  deleted: 'dark',
};

export const STATUS_FILTERS: { value: BackupStatusFilter; label: string }[] = [
  { value: 'pending', label: 'Pending' },
  { value: 'running', label: 'Running' },
  { value: 'success', label: 'Success' },
  { value: 'failed', label: 'Failed' },
  { value: 'skipped', label: 'Skipped (schedule)' },
  { value: 'deleted', label: 'Deleted (by retention)' },
];

export const TRIGGER_LABELS: Record<BackupDto['trigger'], string> = {
  manual: 'Manual',
  scheduled: 'Scheduled',
  api: 'API',
};

/** The end the API gives the reason of a failed attempt that gets another one. */
const RETRIED = /; (?:it will be retried|handed back to the queue) \(attempt (\d+)\)$/;

/** The attempt a failed backup is retried as (from its reason), or null when it was not retried. */
export function retriedAsAttempt(backup: Pick<BackupDto, 'status' | 'error_message'>): number | null {
  if (backup.status !== 'failed' || !backup.error_message) return null;
  const match = RETRIED.exec(backup.error_message);
  return match ? Number(match[1]) : null;
}

/** The backups of a loaded page that retry another, and the ones they retry, found by id. */
export interface RetryLinks {
  /** The failed backup `backup` retries, when it is on the page. */
  original(backup: BackupDto): BackupDto | undefined;
  /** The attempt that retries `backup`, when it is on the page. */
  retry(backup: BackupDto): BackupDto | undefined;
}

export function retryLinks(backups: readonly BackupDto[]): RetryLinks {
  const byId = new Map(backups.map((b) => [b.id, b]));
  const byRetried = new Map(backups.filter((b) => b.retry_of_id).map((b) => [b.retry_of_id!, b]));
  return {
    original: (backup) => (backup.retry_of_id ? byId.get(backup.retry_of_id) : undefined),
    retry: (backup) => byRetried.get(backup.id),
  };
}

/** "Retry of <name>", or of "a failed backup" when that one is not among the loaded ones. */
export function retryOfLabel(original: Pick<BackupDto, 'name'> | undefined): string {
  return `Retry of ${original?.name ?? 'a failed backup'}`;
}
