import { nextRuns } from '../schedules/cron-slots';

/**
 * Whether a database is protected, at a glance (issue 13):
 * - `failing`: its newest finished backup failed (a retry still to come does not count yet);
 * - `stale`: its newest success is older than its maximum age (or it never succeeded and has been
 *   scheduled for longer than that);
 * - `unscheduled`: no schedule (or paused) and no explicit `max_age_hours`: nothing says how fresh it must be;
 * - `ok` otherwise.
 */
export type Protection = 'ok' | 'stale' | 'failing' | 'unscheduled';
export const PROTECTIONS: readonly Protection[] = ['ok', 'stale', 'failing', 'unscheduled'];

export interface ProtectionInput {
  schedule: string | null;
  timezone: string;
  enabled: boolean;
  /** The database's explicit maximum age; null: derived from the schedule. */
  maxAgeHours: number | null;
  /** Since when the schedule applies (scheduleUpdatedAt): a new schedule is not stale at once. */
  scheduledSince: Date;
  lastSuccessAt: Date | null;
  /** The status of the newest backup that ended (`success` or `failed`), null when none did. */
  lastFinishedStatus: 'success' | 'failed' | null;
}

const HOUR_MS = 3_600_000;

/** The schedule's interval: the shortest gap among its next runs (a weekday-only schedule's weekend gap is longer). */
export function scheduleIntervalMs(schedule: string, timezone: string, now: Date): number | null {
  const runs = nextRuns(schedule, timezone, now, 8);
  if (runs.length < 2) return null;
  let longest = 0;
  for (let i = 1; i < runs.length; i++) longest = Math.max(longest, runs[i].getTime() - runs[i - 1].getTime());
  return longest;
}

/**
 * The maximum age of the newest success, in ms: `max_age_hours` when set, else twice the
 * schedule's longest gap between runs (so one missed run is not yet stale, two are); null when
 * neither says (unscheduled).
 */
export function maxAgeMs(input: Pick<ProtectionInput, 'schedule' | 'timezone' | 'enabled' | 'maxAgeHours'>, now: Date) {
  if (input.maxAgeHours !== null) return input.maxAgeHours * HOUR_MS;
  if (!input.schedule || !input.enabled) return null;
  const interval = scheduleIntervalMs(input.schedule, input.timezone, now);
  return interval === null ? null : 2 * interval;
}

export function protectionOf(input: ProtectionInput, now: Date): Protection {
  const limit = maxAgeMs(input, now);
  if (input.lastFinishedStatus === 'failed') return 'failing';
  if (limit === null) return 'unscheduled';
  const freshSince = input.lastSuccessAt ?? input.scheduledSince;
  return now.getTime() - freshSince.getTime() > limit ? 'stale' : 'ok';
}
