const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDateTime(iso: string | null | undefined, empty = '—'): string {
  return iso ? dateTime.format(new Date(iso)) : empty;
}

export function formatDate(iso: string | null | undefined, empty = '—'): string {
  return iso ? date.format(new Date(iso)) : empty;
}

/** Binary (IEC) units: what is divided by 1024 is labelled KiB, MiB, GiB, not KB, MB, GB. */
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/**
 * A byte count in IEC units, one decimal below 100: 0 B, 812 B, 1.0 KiB, 22.6 MiB, 512 GiB.
 * The API's Discord messages use the same rules (apps/api/src/common/format/bytes.ts).
 */
export function formatBytes(bytes: number | null | undefined, empty = '—'): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return empty;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  let digits = unit === 0 || value >= 100 ? 0 : 1;
  // 1023.96 KiB would round to "1024 KiB": that is 1.0 MiB.
  if (unit < BYTE_UNITS.length - 1 && Number(value.toFixed(digits)) >= 1024) {
    value /= 1024;
    unit += 1;
    digits = 1;
  }
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

const wholeNumber = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** The exact count, for a size's hover: 23,731,839 bytes (1 byte). */
export function formatExactBytes(bytes: number | null | undefined, empty = '—'): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return empty;
  return `${wholeNumber.format(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

/** A duration in words-ish units: 850 ms, 4.2 s, 3 min 12 s, 1 h 5 min. */
export function formatDuration(ms: number | null | undefined, empty = '—'): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return empty;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes} min ${totalSeconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
