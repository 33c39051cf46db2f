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

/** The name the API gives the download (the object's file name). */
export function downloadName(backup: Pick<BackupDto, 'name' | 'object_key' | 'encrypted'>): string {
  const fromKey = backup.object_key?.split('/').pop();
  return fromKey || `${backup.name}.dump${backup.encrypted ? '.age' : ''}`;
}
