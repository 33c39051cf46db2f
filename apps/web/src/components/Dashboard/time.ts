const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
];

/** An instant relative to `now` in words: “in 3 hours”, “5 minutes ago”, “—” when absent. */
export function formatRelative(iso: string | null | undefined, now = Date.now(), empty = '—'): string {
  if (!iso) return empty;
  let value = (Date.parse(iso) - now) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return empty;
}

/** How long ago a past instant was (“just now”, “5 minutes ago”), never “in …” for a clock a little behind. */
export function formatAgo(iso: string | null | undefined, now = Date.now(), empty = '—'): string {
  if (!iso) return empty;
  const ago = now - Date.parse(iso);
  if (ago < 45_000) return 'just now';
  return formatRelative(iso, now, empty);
}

/** A share between 0 and 1 as a percentage with one decimal, none when whole: 97.5 %, 50 %. */
export function formatPercent(share: number | null | undefined, empty = '—'): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return empty;
  const percent = Math.round(share * 1000) / 10;
  return `${Number.isInteger(percent) ? percent.toFixed(0) : percent.toFixed(1)} %`;
}
