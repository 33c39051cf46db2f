import {
  getStatsOptions,
  listTenantBackupsOptions,
  type StatsDto,
  type TenantBackupDto,
} from '@dumpstation/api-client';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { livePoll, useLiveEventsUp } from '@/lib/events/live-events';
import { MAX_PAGE_SIZE } from './keys';

export type { StatsDto, TenantBackupDto };
export type Protection = StatsDto['databases'][number]['protection'];

/** How often the dashboard would look again without live events (it never polls faster than livePoll allows). */
const DASHBOARD_POLL_MS = 30_000;

/**
 * The tenant's counters, protection per database and 30-day series (GET /stats). Live events
 * invalidate it (a backup created or finished, a protection change); polled slowly only while
 * they are down.
 */
export function useStats() {
  const up = useLiveEventsUp();
  return useQuery({ ...getStatsOptions(), refetchInterval: livePoll(up, DASHBOARD_POLL_MS) });
}

/**
 * The backups running now, across every database (up to the API's largest page). Their
 * `bytes_processed` is patched by `backup.progress`; the list is refetched when one is created,
 * starts running (the live events refetch a complete running list that misses it) or finishes.
 */
export function useRunningBackups() {
  const up = useLiveEventsUp();
  return useQuery({
    ...listTenantBackupsOptions({ query: { status: 'running', page: 1, limit: MAX_PAGE_SIZE } }),
    refetchInterval: (query) => livePoll(up, query.state.data?.items.length ? DASHBOARD_POLL_MS : false),
  });
}

/** The newest failed backups across every database, newest first. */
export function useRecentFailures(limit = 5) {
  return useQuery(listTenantBackupsOptions({ query: { status: 'failed', page: 1, limit } }));
}

/**
 * The size of a database's newest successful backup (its archive before encryption, else the
 * stored object): what a running backup of it is likely to reach. Null when it never succeeded.
 */
export function usePreviousBackupSize(databaseId: string): number | null {
  const { data } = useQuery({
    ...listTenantBackupsOptions({ query: { status: 'success', database_id: databaseId, page: 1, limit: 1 } }),
    staleTime: 60_000,
  });
  const last = data?.items[0];
  return last ? (last.dump_size_bytes ?? last.size_bytes ?? null) : null;
}

/** The current time, updated every `everyMs` (for elapsed times and throughput; fetches nothing). */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
