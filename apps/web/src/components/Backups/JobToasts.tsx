'use client';

import {
  getBackupOptions,
  getDatabaseOptions,
  getRestoreOptions,
  type BackupDto,
  type RestoreDto,
} from '@dumpstation/api-client';
import { useQueries, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { showToast } from '@/components/Common/Toasts';
import { POLL_MS } from '@/hooks/queries/backups';
import { livePoll, useLiveEventsUp } from '@/lib/events/live-events';
import { unwatchJob, useWatchedJobs, type WatchedJob } from '@/lib/jobs/watched-jobs';
import { formatBytes, formatDuration } from '@/lib/format';

/** How often a watched job is looked at although the live events are up. */
const SAFETY_POLL_MS = 5_000;

type Job = Pick<BackupDto | RestoreDto, 'id' | 'status'>;
const finished = (job: Job | undefined) => job?.status === 'success' || job?.status === 'failed';

async function databaseName(queryClient: QueryClient, id: string): Promise<string> {
  try {
    return (await queryClient.fetchQuery({ ...getDatabaseOptions({ path: { id } }), staleTime: 60_000 })).name;
  } catch {
    return 'the database';
  }
}

async function tell(queryClient: QueryClient, job: WatchedJob, data: BackupDto | RestoreDto): Promise<void> {
  const ok = data.status === 'success';
  const reason = data.error_message ?? 'no reason given';
  if (job.kind === 'backup') {
    const backup = data as BackupDto;
    const name = await databaseName(queryClient, backup.database_id);
    showToast({
      color: ok ? 'teal' : 'red',
      title: ok ? 'Backup finished' : 'Backup failed',
      message: ok
        ? `Backup of ${name} finished: ${formatBytes(backup.size_bytes)} in ${formatDuration(backup.duration_ms)}`
        : `Backup of ${name} failed: ${reason}`,
    });
  } else {
    const restore = data as RestoreDto;
    showToast({
      color: ok ? 'teal' : 'red',
      title: ok ? 'Restore finished' : 'Restore failed',
      message: ok
        ? `Restore of ${restore.backup_name} finished in ${formatDuration(restore.duration_ms)}`
        : `Restore of ${restore.backup_name} failed: ${reason}`,
    });
  }
}

/**
 * Follows the backups and restores started in this tab (the same queries as their detail views,
 * refreshed by the live events, or polled while those are down) and, when one ends, shows one toast saying how.
 */
export function JobToasts() {
  const queryClient = useQueryClient();
  const watched = useWatchedJobs();
  // While the live events are up they refresh these queries; a slow look as well, for an end
  // that happened while the stream was (re)connecting. While they are down: their fallback poll.
  const up = useLiveEventsUp();
  const refetchInterval = (query: { state: { data?: Job } }) =>
    finished(query.state.data) ? false : up ? SAFETY_POLL_MS : livePoll(up, POLL_MS);
  const backups = watched.filter((job) => job.kind === 'backup');
  const restores = watched.filter((job) => job.kind === 'restore');
  const backupResults = useQueries({
    queries: backups.map((job) => ({ ...getBackupOptions({ path: { id: job.id } }), refetchInterval })),
  });
  const restoreResults = useQueries({
    queries: restores.map((job) => ({ ...getRestoreOptions({ path: { id: job.id } }), refetchInterval })),
  });

  useEffect(() => {
    const results: [WatchedJob, { data?: BackupDto | RestoreDto; isError: boolean }][] = [
      ...backups.map((job, index) => [job, backupResults[index]] as [WatchedJob, (typeof backupResults)[number]]),
      ...restores.map((job, index) => [job, restoreResults[index]] as [WatchedJob, (typeof restoreResults)[number]]),
    ];
    for (const [job, result] of results) {
      if (!result) continue;
      // Gone (deleted, another tenant after a switch): nothing to tell.
      if (result.isError && !result.data) unwatchJob(job.id);
      else if (result.data && finished(result.data) && unwatchJob(job.id)) void tell(queryClient, job, result.data);
    }
  });
  return null;
}
