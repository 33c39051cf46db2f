'use client';

import { useSyncExternalStore } from 'react';

/** A backup or restore started in this tab, whose end the console tells with a toast. */
export interface WatchedJob {
  kind: 'backup' | 'restore';
  id: string;
}

// sessionStorage: this tab's only (another tab does not toast for it), kept over a reload.
const KEY = 'dumpstation.watched-jobs';
const EMPTY: WatchedJob[] = [];
let jobs: WatchedJob[] | null = null;
const listeners = new Set<() => void>();

function load(): WatchedJob[] {
  if (jobs) return jobs;
  try {
    const parsed: unknown = JSON.parse(window.sessionStorage.getItem(KEY) ?? '[]');
    jobs = Array.isArray(parsed)
      ? parsed.filter(
          (job): job is WatchedJob =>
            typeof job?.id === 'string' && (job?.kind === 'backup' || job?.kind === 'restore'),
        )
      : [];
  } catch {
    jobs = [];
  }
  return jobs;
}

function save(next: WatchedJob[]): void {
  jobs = next;
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // Storage refused (private mode, quota): kept in memory only.
  }
  listeners.forEach((listener) => listener());
}

/** Remembers a job this tab started, to tell when it ends. */
export function watchJob(kind: WatchedJob['kind'], id: string): void {
  const current = load();
  if (!current.some((job) => job.id === id)) save([...current, { kind, id }]);
}

/** Forgets a job; true only for the first caller (so its end is told once). */
export function unwatchJob(id: string): boolean {
  const current = load();
  if (!current.some((job) => job.id === id)) return false;
  save(current.filter((job) => job.id !== id));
  return true;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The jobs this tab is waiting for. */
export function useWatchedJobs(): WatchedJob[] {
  return useSyncExternalStore(subscribe, load, () => EMPTY);
}
