// What both benches need: cleanup on exit and on Ctrl-C, a timestamped log, statistics, and the
// CPU counters of /proc.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

// ---------------------------------------------------------------- cleanup

const cleanups: { name: string; run: () => Promise<unknown> }[] = [];
/** Child processes the bench runs itself (its shell pipelines): killed first on cleanup. */
export const runningChildren = new Set<ChildProcess>();

/** Registers what cleanUp() undoes, last registered first (servers started after their data dirs). */
export function onCleanup(name: string, run: () => Promise<unknown>): void {
  cleanups.push({ name, run });
}

let cleanedUp = false;
export async function cleanUp(): Promise<void> {
  if (cleanedUp) return;
  cleanedUp = true;
  for (const child of runningChildren) child.kill('SIGTERM');
  for (const { name, run } of cleanups.reverse()) {
    try {
      await run();
    } catch (error) {
      process.stderr.write(`cleanup of ${name} failed: ${(error as Error).message}\n`);
    }
  }
}

/** On Ctrl-C or a kill, cleanUp() then exit: nothing (servers, data dirs, child processes) outlives the bench. */
export function cleanUpOnSignals(log: (message: string) => void): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: cleaning up`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
}

/** A log whose lines say the bench (`tag`) and the seconds since it started. */
export function benchLog(tag: string): (message: string) => void {
  const started = performance.now();
  return (message: string) =>
    process.stdout.write(`[${tag} +${((performance.now() - started) / 1000).toFixed(0).padStart(4)}s] ${message}\n`);
}

// ---------------------------------------------------------------- numbers

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A rounding to a fixed number of digits (each bench reports with its own). */
export const roundTo =
  (digits: number) =>
  (n: number, places = digits) =>
    Math.round(n * 10 ** places) / 10 ** places;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The nearest-rank percentile of values sorted ascending (NaN when there are none). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// ---------------------------------------------------------------- /proc

export const CLOCK_TICKS = 100; // USER_HZ on Linux (getconf CLK_TCK)

/** The fields of a /proc/…/stat file after the command name: [0] is field 3 (state). */
export function statFields(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}
export const tick = (fields: string[], field: number) => Number(fields[field - 3]) / CLOCK_TICKS;

/** utime+stime of the process itself and of its waited-for children, in seconds (/proc/<pid>/stat). */
export function cpuOf(pid: number | 'self'): { own: number; children: number } {
  const f = statFields(`/proc/${pid}/stat`);
  return { own: tick(f, 14) + tick(f, 15), children: tick(f, 16) + tick(f, 17) };
}

/** The machine's CPU time counters (/proc/stat, in ticks): all, idle, iowait and steal (stolen by the hypervisor). */
export function machineCpu(): { total: number; idle: number; iowait: number; steal: number } {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return {
    total: ticks.slice(0, 8).reduce((a, b) => a + b, 0),
    idle: ticks[3],
    iowait: ticks[4],
    steal: ticks[7] ?? 0,
  };
}
