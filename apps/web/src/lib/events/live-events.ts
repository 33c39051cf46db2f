import type { BackupDto } from '@dumpstation/api-client';
import type { QueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { invalidateOperation } from '@/hooks/queries/keys';
import { accessTokenAfterRejection, getAccessToken } from '@/lib/auth/session-store';
import { createSseParser, type SseEvent } from './sse-parser';

/**
 * The tenant's live events (GET /api/v1/events, server-sent events): one stream per tab, opened
 * by the SessionProvider while signed in. Events update or invalidate the react-query caches, so
 * nothing polls for backups, restores, databases or stats while the stream is up; while it is
 * down, lists that would have polled do so slowly (FALLBACK_POLL_MS), and it reconnects with
 * backoff, sending Last-Event-ID so that the API replays what was missed (or says `reset`: refetch).
 *
 * EventSource cannot send an Authorization header: this is fetch with a streaming reader.
 */

/** How often a list that waits for a change polls while the stream is down. */
export const FALLBACK_POLL_MS = 60_000;
const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;
/** The API sends a heartbeat every 15 s: this long without a byte means the stream is dead. */
const SILENCE_MS = 45_000;

// ——— Whether the stream is up (for the queries' polling) ———

let down = false;
const listeners = new Set<() => void>();

function setDown(next: boolean): void {
  if (down === next) return;
  down = next;
  for (const listener of listeners) listener();
}

function subscribeDown(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const isDown = () => down;
const neverDown = () => false;

/** False only while the stream failed and is not back yet (not while it first connects, nor signed out). */
export function useLiveEventsUp(): boolean {
  return !useSyncExternalStore(subscribeDown, isDown, neverDown);
}

/**
 * The refetchInterval for a query that would poll every `wanted` ms to follow a change: none
 * while the stream is up (events say when it changed), FALLBACK_POLL_MS at most while it is down.
 */
export function livePoll(up: boolean, wanted: number | false): number | false {
  if (wanted === false || up) return false;
  return Math.max(wanted, FALLBACK_POLL_MS);
}

// ——— What each event does to the caches ———

type Data = Record<string, unknown>;

const BACKUP_VIEWS = ['getBackup', 'listBackups', 'listTenantBackups'];
const RESTORE_VIEWS = ['getRestore', 'listDatabaseRestores', 'listRestores'];
/** A backup's end changes a database's last backup and protection, and the stats. */
const DATABASE_VIEWS = ['getDatabase', 'listDatabases', 'getStats'];
const EVERYTHING_LIVE = [...BACKUP_VIEWS, ...RESTORE_VIEWS, ...DATABASE_VIEWS, 'listActivityLogs'];

function invalidate(queryClient: QueryClient, operations: string[]): void {
  for (const operation of operations) void invalidateOperation(queryClient, operation);
}

const operationOf = (key: readonly unknown[]) => (key[0] as { _id?: unknown } | undefined)?._id;

/**
 * Whether this is a complete, un-narrowed list of the tenant's running backups (the dashboard's)
 * that lacks `backupId`: then the backup started running since it was fetched.
 */
function missesRunning(key: readonly unknown[], items: BackupDto[], total: number | undefined, backupId: string) {
  const { _id, query } = key[0] as { _id?: unknown; query?: Record<string, unknown> };
  if (_id !== 'listTenantBackups' || query?.status !== 'running') return false;
  if (Object.keys(query).some((name) => !['status', 'page', 'limit'].includes(name))) return false;
  return items.length === total && !items.some((b) => b.id === backupId);
}

/**
 * A running backup's progress, written into every cached view of it. False when some view does
 * not show it running yet (it just started), or a complete list of running backups lacks it:
 * those are refetched instead.
 */
function patchProgress(queryClient: QueryClient, backupId: string, bytes: number): boolean {
  let current = true;
  const patch = (backup: BackupDto): BackupDto => {
    if (backup.id !== backupId) return backup;
    if (backup.status !== 'running') current = false;
    return { ...backup, bytes_processed: Math.max(backup.bytes_processed, bytes) };
  };
  for (const query of queryClient.getQueryCache().getAll()) {
    const operation = operationOf(query.queryKey);
    if (typeof operation !== 'string' || !BACKUP_VIEWS.includes(operation)) continue;
    const data = query.state.data as
      (BackupDto & { items?: undefined }) | { items: BackupDto[]; total?: number } | undefined;
    if (!data) continue;
    if (data.items && missesRunning(query.queryKey, data.items, data.total, backupId)) current = false;
    queryClient.setQueryData(
      query.queryKey,
      data.items ? { ...data, items: data.items.map(patch) } : patch(data as BackupDto),
    );
  }
  return current;
}

function apply(queryClient: QueryClient, event: string, data: Data): void {
  switch (event) {
    case 'backup.progress':
      if (!patchProgress(queryClient, String(data.backup_id), Number(data.bytes_processed)))
        invalidate(queryClient, BACKUP_VIEWS);
      return;
    case 'backup.created':
    case 'backup.started':
      invalidate(queryClient, [...BACKUP_VIEWS, ...DATABASE_VIEWS]);
      return;
    case 'backup.finished':
      invalidate(queryClient, [...BACKUP_VIEWS, ...DATABASE_VIEWS, 'listActivityLogs']);
      return;
    case 'restore.created':
    case 'restore.finished':
      invalidate(queryClient, [...RESTORE_VIEWS, 'listActivityLogs']);
      return;
    case 'database.protection':
      invalidate(queryClient, DATABASE_VIEWS);
      return;
    case 'reset':
      invalidate(queryClient, EVERYTHING_LIVE);
      return;
  }
}

// ——— The connection ———

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Opens the stream with the session's token (refreshed once if refused). */
async function open(signal: AbortSignal, lastEventId: string | undefined): Promise<Response | null> {
  const send = (token: string) =>
    fetch('/api/v1/events', {
      headers: {
        Accept: 'text/event-stream',
        Authorization: `Bearer ${token}`,
        ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}),
      },
      cache: 'no-store',
      signal,
    });
  const token = await getAccessToken();
  if (!token) return null;
  let response = await send(token);
  if (response.status === 401) {
    const renewed = await accessTokenAfterRejection(token);
    if (!renewed) return null;
    response = await send(renewed);
  }
  return response.ok && response.body ? response : null;
}

/**
 * Follows the live events until the returned function is called (sign-out, another tenant).
 * Reconnects with backoff and Last-Event-ID; a stream that first opens after being down refetches.
 */
export function startLiveEvents(queryClient: QueryClient): () => void {
  const stopped = new AbortController();
  let lastEventId: string | undefined;

  const follow = async (): Promise<boolean> => {
    const connection = new AbortController();
    const abort = () => connection.abort();
    stopped.signal.addEventListener('abort', abort);
    let silence: ReturnType<typeof setTimeout> | undefined;
    const heard = () => {
      clearTimeout(silence);
      silence = setTimeout(abort, SILENCE_MS);
    };
    let ready = false;
    try {
      const resumeFrom = lastEventId;
      heard();
      const response = await open(connection.signal, resumeFrom);
      if (!response) return false;
      const parse = createSseParser((message: SseEvent) => {
        if (message.id) lastEventId = message.id;
        let data: Data = {};
        try {
          data = JSON.parse(message.data) as Data;
        } catch {
          return;
        }
        if (message.event === 'ready') {
          ready = true;
          // Down with nothing to resume from: what changed meanwhile is unknown.
          if (down && !resumeFrom) apply(queryClient, 'reset', {});
          setDown(false);
          return;
        }
        apply(queryClient, message.event, data);
      });
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        heard();
        parse(value);
      }
    } catch {
      // Network error, abort or silence: reconnect.
    } finally {
      clearTimeout(silence);
      stopped.signal.removeEventListener('abort', abort);
      connection.abort();
    }
    return ready;
  };

  void (async () => {
    let failures = 0;
    while (!stopped.signal.aborted) {
      const wasOpen = await follow();
      if (stopped.signal.aborted) break;
      failures = wasOpen ? 0 : failures + 1;
      setDown(true);
      const backoff = Math.min(RECONNECT_MIN_MS * 2 ** failures, RECONNECT_MAX_MS);
      await sleep(backoff * (0.5 + Math.random() / 2), stopped.signal);
    }
  })();

  return () => {
    stopped.abort();
    setDown(false);
  };
}
