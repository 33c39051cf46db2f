/**
 * Retention as one pure function: which backups of a database a policy keeps and which it
 * removes, and why. The preview answers with it and the run applies exactly what it returns,
 * so the preview is what the next run removes (given the same backups and the same `now`).
 */

export type RetentionType = 'count' | 'days' | 'gfs';

export const GFS_PERIODS = ['hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
export type GfsPeriod = (typeof GFS_PERIODS)[number];

export interface RetentionPolicy {
  type: RetentionType;
  /** count: keep the newest N successes; days: keep N days; gfs: keep the newest N (keep_last). */
  value: number;
  /** The newest backup of each of the newest N hours/days/weeks/months/years that have one. */
  hourly?: number | null;
  daily?: number | null;
  weekly?: number | null;
  monthly?: number | null;
  yearly?: number | null;
  /** Successful backups that survive any policy (the newest ones); at least 1. */
  minKeep?: number | null;
}

/** What retention needs to know of one backup row. */
export interface RetentionCandidate {
  id: string;
  name: string;
  createdAt: Date;
  status: string;
  /** Being restored (or otherwise in use) now: kept this time, decided again on the next run. */
  busy?: boolean;
  /** The storage error of an earlier removal that did not finish (the row is still `success`). */
  deletionError?: string | null;
}

export interface RetentionDecision {
  id: string;
  name: string;
  createdAt: Date;
  status: string;
  keep: boolean;
  /** Every rule that keeps it (when kept), or why it goes; never empty. */
  reasons: string[];
}

export interface RetentionOptions {
  now: Date;
  /** IANA zone the hour/day/week/month/year buckets are read in (the database's timezone). */
  timeZone?: string;
}

const DAY_MS = 86_400_000;

/** Calendar facts of an instant in a time zone. */
function wallClock(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => parts.find((part) => part.type === type)!.value;
  return { year: Number(get('year')), month: Number(get('month')), day: Number(get('day')), hour: Number(get('hour')) };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** ISO 8601 week of a calendar date: `2026-W48`. */
function isoWeek(year: number, month: number, day: number): string {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of this week decides its year
  const weekYear = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(weekYear, 0, 1)) / DAY_MS + 1) / 7);
  return `${weekYear}-W${pad(week)}`;
}

/** The bucket an instant falls in, as it is shown in a reason (`daily 2026-11-30`). */
export function periodKey(period: GfsPeriod, at: Date, timeZone = 'UTC'): string {
  const { year, month, day, hour } = wallClock(at, timeZone);
  switch (period) {
    case 'hourly':
      return `${year}-${pad(month)}-${pad(day)} ${pad(hour)}:00`;
    case 'daily':
      return `${year}-${pad(month)}-${pad(day)}`;
    case 'weekly':
      return isoWeek(year, month, day);
    case 'monthly':
      return `${year}-${pad(month)}`;
    case 'yearly':
      return `${year}`;
  }
}

/** The floor of successful backups a policy keeps whatever its rules say. */
export const minKeepOf = (policy: RetentionPolicy) => Math.max(1, policy.minKeep ?? 1);

/**
 * Decides every backup of one database, newest first. Only successful backups are ever removed:
 * failed and skipped rows hold no object (they stay as history), pending and running ones are
 * not finished, deleted ones are gone already (they are left out of the answer). Always kept:
 * the newest success, the newest `min_keep` successes, and whatever is busy.
 */
export function planRetention(
  backups: readonly RetentionCandidate[],
  policy: RetentionPolicy | null,
  options: RetentionOptions,
): RetentionDecision[] {
  const timeZone = options.timeZone ?? 'UTC';
  const now = options.now.getTime();
  const rows = backups
    .filter((backup) => backup.status !== 'deleted')
    .slice()
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
  const keepReasons = new Map<string, string[]>();
  const keepFor = (id: string, reason: string) => {
    const reasons = keepReasons.get(id) ?? [];
    reasons.push(reason);
    keepReasons.set(id, reasons);
  };
  const successes = rows.filter((row) => row.status === 'success');

  if (policy) {
    if (successes[0]) keepFor(successes[0].id, 'newest success');
    if (policy.type === 'count' || policy.type === 'gfs') {
      const label = policy.type === 'count' ? `newest ${policy.value}` : `keep_last ${policy.value}`;
      successes.slice(0, policy.value).forEach((row) => keepFor(row.id, label));
    } else {
      const cutoff = now - policy.value * DAY_MS;
      successes
        .filter((row) => row.createdAt.getTime() >= cutoff)
        .forEach((row) => keepFor(row.id, `within ${policy.value} days`));
    }
    for (const period of GFS_PERIODS) {
      const wanted = policy[period] ?? 0;
      if (wanted <= 0) continue;
      const seen = new Set<string>();
      for (const row of successes) {
        const key = periodKey(period, row.createdAt, timeZone);
        if (seen.has(key)) continue;
        if (seen.size >= wanted) break;
        seen.add(key);
        keepFor(row.id, `${period} ${key}`);
      }
    }
    const floor = minKeepOf(policy);
    successes.slice(0, floor).forEach((row) => {
      if (!keepReasons.has(row.id)) keepFor(row.id, `min_keep ${floor}`);
    });
  }

  const removal = (policy: RetentionPolicy): string => {
    switch (policy.type) {
      case 'count':
        return `beyond the newest ${policy.value}`;
      case 'days':
        return `older than ${policy.value} days`;
      case 'gfs': {
        const rules = GFS_PERIODS.filter((period) => (policy[period] ?? 0) > 0).map((p) => `${p} ${policy[p]}`);
        return `not in keep_last ${policy.value}${rules.length ? ` nor ${rules.join(', ')}` : ''}`;
      }
    }
  };

  return rows.map((row) => {
    const base = { id: row.id, name: row.name, createdAt: row.createdAt, status: row.status };
    if (row.status !== 'success') {
      const why =
        row.status === 'pending' || row.status === 'running'
          ? 'not finished'
          : `${row.status}: retention removes only successful backups`;
      return { ...base, keep: true, reasons: [why] };
    }
    if (!policy) return { ...base, keep: true, reasons: ['no retention policy'] };
    const kept = keepReasons.get(row.id);
    if (kept) return { ...base, keep: true, reasons: kept };
    if (row.busy) return { ...base, keep: true, reasons: ['being restored (decided again on the next run)'] };
    const reasons = [removal(policy)];
    if (row.deletionError) reasons.push(`retrying: the last removal failed (${row.deletionError})`);
    return { ...base, keep: false, reasons };
  });
}
