/** Binary (IEC) units: what is divided by 1024 is labelled KiB, MiB, GiB, not KB, MB, GB. */
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/**
 * A byte count in IEC units, one decimal below 100: `812 B`, `1.0 KiB`, `22.6 MiB`, `512 GiB`.
 * The console formats sizes with the same rules (apps/web/src/lib/format.ts).
 */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  let digits = unit === 0 || value >= 100 ? 0 : 1;
  // 1023.96 KiB would round to "1024 KiB": that is 1.0 MiB.
  if (unit < UNITS.length - 1 && Number(value.toFixed(digits)) >= 1024) {
    value /= 1024;
    unit += 1;
    digits = 1;
  }
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** The unit form and the exact count, for text that has no hover: `22.6 MiB (23,731,839 bytes)`, `812 bytes`. */
export function formatBytesExact(bytes: number): string {
  const exact = `${bytes.toLocaleString('en-US')} bytes`;
  return bytes < 1024 ? exact : `${formatBytes(bytes)} (${exact})`;
}
