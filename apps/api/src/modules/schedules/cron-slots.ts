import { CronTime } from 'cron';

/**
 * When a cron schedule fires, read on the wall clock of an IANA time zone (docs/operations.md,
 * "Schedules and DST"):
 * - a wall time that occurs once is the instant it names;
 * - a wall time skipped by a spring-forward change (02:30 on a day clocks go 02:00 → 03:00) runs
 *   once, at the instant it would have had on the offset before the change, i.e. shifted by the
 *   gap (02:30 CET = 03:30 CEST): the day keeps its run, late by the length of the gap;
 * - a wall time repeated by a fall-back change (01:30 on a day clocks go 02:00 → 01:00 in New York)
 *   runs once, at its first occurrence (the offset before the change).
 * Two wall times landing on one instant (02:30 shifted onto a real 03:30) are one run.
 */

interface CronFields {
  seconds: number[];
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  anyDayOfMonth: boolean;
  anyDayOfWeek: boolean;
}

const DAY_MS = 86_400_000;
const ascending = (a: number, b: number) => a - b;
const valuesOf = (unit: unknown) =>
  Object.entries(unit as Record<string, boolean>)
    .filter(([, on]) => on)
    .map(([value]) => Number(value))
    .sort(ascending);

/** The values each field allows, as the cron package parses them (5 fields, or 6 with seconds first). */
export function parseCron(expression: string): CronFields {
  const fields = expression.trim().split(/\s+/);
  const parsed = new CronTime(expression, 'UTC') as unknown as Record<string, unknown>;
  const dateFields = fields.length === 6 ? fields.slice(1) : fields;
  const daysOfWeek = new Set(valuesOf(parsed.dayOfWeek).map((day) => day % 7));
  return {
    seconds: fields.length === 6 ? valuesOf(parsed.second) : [0],
    minutes: valuesOf(parsed.minute),
    hours: valuesOf(parsed.hour),
    daysOfMonth: new Set(valuesOf(parsed.dayOfMonth)),
    months: new Set(valuesOf(parsed.month)),
    daysOfWeek,
    anyDayOfMonth: dateFields[2] === '*' || dateFields[2] === '?',
    anyDayOfWeek: dateFields[4] === '*' || dateFields[4] === '?',
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The zone's wall clock at `instant` (whole seconds), expressed as if it were UTC milliseconds. */
export function wallClockOf(instant: number, zone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(whole))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second);
}

/** The zone's offset from UTC at `instant`, in milliseconds (CEST: +7,200,000). */
export function offsetAt(instant: number, zone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallClockOf(whole, zone) - whole;
}

/** The one instant a wall time stands for, by the rule above. */
export function instantOfWallClock(wall: number, zone: string): number {
  const before = offsetAt(wall - DAY_MS, zone);
  const after = offsetAt(wall + DAY_MS, zone);
  // The earlier occurrence first: for a repeated wall time that is the one before the change.
  const candidates = [...new Set([before, offsetAt(wall, zone), after])].map((offset) => wall - offset).sort(ascending);
  for (const instant of candidates) if (wallClockOf(instant, zone) === wall) return instant;
  // Skipped by a spring-forward change: the offset before the change moves it past the gap.
  return wall - before;
}

function dayMatches(fields: CronFields, day: Date): boolean {
  if (!fields.months.has(day.getUTCMonth() + 1)) return false;
  const dom = fields.daysOfMonth.has(day.getUTCDate());
  const dow = fields.daysOfWeek.has(day.getUTCDay());
  // Vixie cron: when both day fields are restricted, either one matching is enough.
  if (fields.anyDayOfMonth && fields.anyDayOfWeek) return true;
  if (fields.anyDayOfMonth) return dow;
  if (fields.anyDayOfWeek) return dom;
  return dom || dow;
}

/** The next `count` instants strictly after `after` at which `expression` fires in `zone`. */
export function nextRuns(expression: string, zone: string, after: Date, count: number): Date[] {
  const fields = parseCron(expression);
  const from = after.getTime();
  const found = new Set<number>();
  // From the local day before (a shifted run of that day can land after `from`), for up to 5 years.
  let day = Math.floor(wallClockOf(from, zone) / DAY_MS) * DAY_MS - DAY_MS;
  let extraDays = -1;
  for (let index = 0; index < 5 * 366 + 2 && extraDays !== 0; index += 1, day += DAY_MS) {
    if (extraDays > 0) extraDays -= 1;
    if (!dayMatches(fields, new Date(day))) continue;
    const offsetBefore = offsetAt(day - offsetAt(day, zone) - DAY_MS / 2, zone);
    const offsetAfter = offsetAt(day - offsetAt(day, zone) + DAY_MS * 1.5, zone);
    // No change of offset around this day: wall times map straight to instants, in order.
    const steady = offsetBefore === offsetAfter;
    let ofDay = 0;
    for (const hour of fields.hours) {
      for (const minute of fields.minutes) {
        for (const second of fields.seconds) {
          const wall = day + hour * 3_600_000 + minute * 60_000 + second * 1000;
          const instant = steady ? wall - offsetBefore : instantOfWallClock(wall, zone);
          if (instant <= from) continue;
          found.add(instant);
          ofDay += 1;
          if (steady && ofDay >= count) break;
        }
        if (steady && ofDay >= count) break;
      }
      if (steady && ofDay >= count) break;
    }
    // Enough: one more day settles any run a change of offset moved across midnight.
    if (found.size >= count && extraDays < 0) extraDays = 1;
  }
  return [...found]
    .sort(ascending)
    .slice(0, count)
    .map((instant) => new Date(instant));
}

/** The instants in (from, to] at which `expression` fires, oldest first, at most `limit` of them. */
export function runsBetween(expression: string, zone: string, from: Date, to: Date, limit: number): Date[] {
  const runs: Date[] = [];
  let cursor = from;
  while (runs.length < limit) {
    const batch = nextRuns(expression, zone, cursor, Math.min(100, limit - runs.length));
    for (const run of batch) {
      if (run > to) return runs;
      runs.push(run);
    }
    if (batch.length === 0) return runs;
    cursor = batch[batch.length - 1];
  }
  return runs;
}

/** ISO 8601 with the zone's offset at that instant: 2027-03-28T03:30:00+02:00. */
export function isoInZone(instant: Date, zone: string): string {
  const offset = offsetAt(instant.getTime(), zone);
  const wall = new Date(Math.floor(instant.getTime() / 1000) * 1000 + offset).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60_000;
  const pad = (value: number) => String(Math.floor(value)).padStart(2, '0');
  return `${wall}${sign}${pad(minutes / 60)}:${pad(minutes % 60)}`;
}
