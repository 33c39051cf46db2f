import type { BackupDto } from '@dumpstation/api-client';
import { useEffect, useState } from 'react';

/**
 * Where a backup that has not ended is: `queued` (pending: no worker has it yet), `waiting`
 * (running, pg_dump started but has sent no byte: connecting, or waiting for a lock), `dumping`
 * (bytes arrive).
 */
export type BackupPhase = 'queued' | 'waiting' | 'dumping';

export const PHASE_LABELS: Record<BackupPhase, string> = {
  queued: 'waiting for a worker…',
  waiting: 'waiting for pg_dump…',
  dumping: 'dumping…',
};

/** How far a running backup may seem to be, at most, while it runs (its real size is known only at the end). */
export const MAX_SHOWN_PERCENT = 99;

/** Below this much running time a throughput (and so an ETA) says little. */
const MIN_RATE_MS = 1_000;

export interface BackupProgressFacts {
  phase: BackupPhase;
  label: string;
  /** Archive bytes written so far. */
  bytes: number;
  /** Since the worker began it; null while queued. */
  elapsedMs: number | null;
  /** Bytes per second: as observed here when known, else since it began (once it has run a second and sent something). */
  rate: number | null;
  /** Of the previous successful backup's size (capped at 99 %); null when that is unknown or nothing came yet. */
  percent: number | null;
  /** At the observed rate, until the previous size is reached; null without a percentage or an observed rate. */
  remainingMs: number | null;
}

/**
 * The phase, elapsed time, throughput, share of `expected` (the database's previous successful
 * backup's archive size, null when unknown) and time left of a pending or running backup, at `now`.
 * The time left comes from `observedRate` (useObservedRate): a rate since the start would count
 * the wait before the first byte (connecting, a lock) and promise minutes for a backup of seconds.
 * Null for a backup that has ended.
 */
export function backupProgress(
  backup: Pick<BackupDto, 'status' | 'bytes_processed' | 'started_at'>,
  expected: number | null,
  now: number,
  observedRate: number | null = null,
): BackupProgressFacts | null {
  if (backup.status !== 'pending' && backup.status !== 'running') return null;
  const bytes = backup.bytes_processed ?? 0;
  const phase: BackupPhase = backup.status === 'pending' ? 'queued' : bytes > 0 ? 'dumping' : 'waiting';
  const elapsedMs = phase !== 'queued' && backup.started_at ? Math.max(0, now - Date.parse(backup.started_at)) : null;
  const sinceStart = elapsedMs !== null && elapsedMs >= MIN_RATE_MS && bytes > 0 ? bytes / (elapsedMs / 1_000) : null;
  const rate = observedRate ?? sinceStart;
  const percent =
    phase === 'dumping' && expected ? Math.min(MAX_SHOWN_PERCENT, Math.floor((bytes / expected) * 100)) : null;
  const remainingMs =
    percent !== null && observedRate && bytes < expected! ? ((expected! - bytes) / observedRate) * 1_000 : null;
  return { phase, label: PHASE_LABELS[phase], bytes, elapsedMs, rate, percent, remainingMs };
}

/**
 * Bytes per second of backup `id` as seen by this page: from the first moment it was seen sending
 * bytes to `now`, once that is a second or more and more bytes came. Null before.
 */
export function useObservedRate(id: string, bytes: number, now: number): number | null {
  const [first, setFirst] = useState<{ id: string; at: number; bytes: number } | null>(null);
  useEffect(() => {
    if (bytes > 0 && first?.id !== id) setFirst({ id, at: Date.now(), bytes });
  }, [id, bytes, first]);
  if (!first || first.id !== id || bytes <= first.bytes) return null;
  const seconds = (now - first.at) / 1_000;
  return seconds >= MIN_RATE_MS / 1_000 ? (bytes - first.bytes) / seconds : null;
}
