import {
  createDownloadLinkMutation,
  deleteBackupMutation,
  getBackupOptions,
  getRestoreOptions,
  listBackupsOptions,
  listDatabaseRestoresOptions,
  restoreBackupMutation,
  startBackupMutation,
  verifyBackupMutation,
  type BackupDto,
  type ListBackupsData,
  type ListDatabaseRestoresData,
  type RestoreDto,
} from '@dumpstation/api-client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { retriedAsAttempt } from '@/components/Backups/status';
import { startDownload } from '@/lib/download';
import { watchJob } from '@/lib/jobs/watched-jobs';
import { livePoll, useLiveEventsUp } from '@/lib/events/live-events';
import { cachedName, quoted, toastDone } from './feedback';
import { PAGE_SIZE, useInvalidateOperations } from './keys';

export type BackupStatus = BackupDto['status'];
export type BackupStatusFilter = NonNullable<NonNullable<ListBackupsData['query']>['status']>;
export type RestoreStatusFilter = NonNullable<NonNullable<ListDatabaseRestoresData['query']>['status']>;

/** How often a running backup or restore is looked at again, without live events. */
export const POLL_MS = 1_000;

/** Pending or running: its state will change on its own. */
export function isActive(job: { status: BackupStatus | RestoreDto['status'] }): boolean {
  return job.status === 'pending' || job.status === 'running';
}

/**
 * A refetchInterval while the job is pending or running, then no more: none while live events
 * are up (they tell every change), slowly while they are down.
 */
function pollWhileActive(up: boolean) {
  return (query: { state: { data?: { status: BackupStatus } } }): number | false =>
    livePoll(up, query.state.data && isActive(query.state.data) ? POLL_MS : false);
}

/** How long after a failed attempt that is retried the page keeps looking for its retry's row. */
const RETRY_ROW_WAIT_MS = 30_000;

/**
 * A failed attempt on the page that is retried, finished moments ago, whose retry is not on the
 * page yet: the API records the failure first and adds the retry's row just after.
 */
function awaitsRetryRow(items: readonly BackupDto[], now = Date.now()): boolean {
  return items.some(
    (b) =>
      retriedAsAttempt(b) !== null &&
      b.finished_at !== null &&
      now - Date.parse(b.finished_at) < RETRY_ROW_WAIT_MS &&
      !items.some((other) => other.retry_of_id === b.id),
  );
}

/** How often the history of a database on an enabled schedule is looked at while nothing runs (new slots appear). */
export const SCHEDULED_POLL_MS = 5_000;

/**
 * One page of a database's backups, newest first, kept current by live events (a backup created,
 * its progress, its end, a schedule's next slot). While they are down it is polled slowly when any
 * backup on the page is pending or running (or a failed one's retry is about to appear), or when
 * `idlePollMs` is set (a scheduled database: its next slot shows up without a reload).
 */
export function useBackups(
  databaseId: string,
  page: number,
  status: BackupStatusFilter | null,
  idlePollMs: number | false = false,
) {
  const up = useLiveEventsUp();
  return useQuery({
    ...listBackupsOptions({
      path: { id: databaseId },
      query: { page, limit: PAGE_SIZE, ...(status ? { status } : {}) },
    }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => {
      const items = query.state.data?.items ?? [];
      return livePoll(up, items.some(isActive) || awaitsRetryRow(items) ? POLL_MS : idlePollMs);
    },
  });
}

/** One backup, followed while it runs (for its detail view). */
export function useBackup(id: string | null) {
  const up = useLiveEventsUp();
  return useQuery({
    ...getBackupOptions({ path: { id: id ?? '' } }),
    enabled: Boolean(id),
    refetchInterval: pollWhileActive(up),
  });
}

/** The databases, whose “last backup” a finished backup changes. */
export function useInvalidateAfterBackup() {
  return useInvalidateOperations('getDatabase', 'listDatabases');
}

/** Starts a backup now; answers it in `pending`. */
export function useStartBackup() {
  const invalidate = useInvalidateOperations('listBackups', 'listTenantBackups');
  return useMutation({
    ...startBackupMutation(),
    onSuccess: (backup) => {
      // Started in this tab: its end is told with a toast (JobToasts).
      watchJob('backup', backup.id);
      return invalidate();
    },
  });
}

/** Re-reads the stored object and checks both digests; answers `{ ok, message }` either way. */
export function useVerifyBackup() {
  return useMutation(verifyBackupMutation());
}

export function useDeleteBackup() {
  const invalidate = useInvalidateOperations('listBackups', 'getBackup', 'listTenantBackups');
  const queryClient = useQueryClient();
  return useMutation({
    ...deleteBackupMutation(),
    onSuccess: (_, { path }) =>
      toastDone(
        'Backup deleted',
        `${quoted(cachedName(queryClient, path.id, 'listBackups', 'getBackup', 'listTenantBackups'), 'The backup')} was deleted from its storage.`,
      ),
    onSettled: () => invalidate(),
  });
}

/** Starts a restore; answers it in `pending` (follow it with useRestore). */
export function useRestoreBackup() {
  const invalidate = useInvalidateOperations('listDatabaseRestores');
  return useMutation({
    ...restoreBackupMutation(),
    onSuccess: (restore) => {
      // Its end is told by JobToasts.
      toastDone(
        'Restore started',
        `Restoring ${quoted(restore.backup_name, 'the backup')}: you will be told when it ends.`,
      );
      watchJob('restore', restore.id);
      return invalidate();
    },
  });
}

/**
 * One page of a database's restores, newest first, kept current by live events (polled slowly
 * while they are down and any restore on the page is pending or running).
 */
export function useDatabaseRestores(databaseId: string, page: number, status: RestoreStatusFilter | null) {
  const up = useLiveEventsUp();
  return useQuery({
    ...listDatabaseRestoresOptions({
      path: { id: databaseId },
      query: { page, limit: PAGE_SIZE, ...(status ? { status } : {}) },
    }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => livePoll(up, query.state.data?.items.some(isActive) ? POLL_MS : false),
  });
}

/** One restore, followed until it ends `success` or `failed`. */
export function useRestore(id: string | null) {
  const up = useLiveEventsUp();
  return useQuery({
    ...getRestoreOptions({ path: { id: id ?? '' } }),
    enabled: Boolean(id),
    refetchInterval: pollWhileActive(up),
  });
}

/**
 * Downloads a backup's stored object natively: asks for a short-lived download link
 * (POST /backups/{id}/download-link) and hands it to the browser, which streams the file to disk
 * with its own progress (no Authorization header needed: the link's token is the credential).
 */
export function useDownloadBackup() {
  return useMutation({
    ...createDownloadLinkMutation(),
    onSuccess: (link) => startDownload(link.url),
  });
}
