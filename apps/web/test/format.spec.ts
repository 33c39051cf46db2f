import { backupProgress } from '../src/components/Backups/progress';
import { formatBytes, formatExactBytes } from '../src/lib/format';

// Issue 15: sizes are divided by 1024, so they are labelled in IEC units (KiB, MiB, GiB), with the
// exact count for the hover.
describe('formatBytes (IEC)', () => {
  it.each([
    [0, '0 B'],
    [812, '812 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [23_731_839, '22.6 MiB'],
    [150 * 1024 * 1024, '150 MiB'],
    [1024 * 1024 - 1, '1.0 MiB'],
    [3 * 1024 ** 3, '3.0 GiB'],
  ])('%d bytes → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('says nothing for what is unknown', () => {
    expect([formatBytes(null), formatBytes(undefined), formatBytes(-1), formatBytes(Number.NaN)]).toEqual([
      '—',
      '—',
      '—',
      '—',
    ]);
  });

  it('gives the exact count for the hover', () => {
    expect(formatExactBytes(23_731_839)).toMatch(/^23\D?731\D?839 bytes$/);
    expect(formatExactBytes(1)).toBe('1 byte');
    expect(formatExactBytes(null)).toBe('—');
  });
});

describe('backupProgress', () => {
  const start = Date.parse('2026-12-02T10:00:00Z');
  const running = (bytes: number) => ({
    status: 'running' as const,
    bytes_processed: bytes,
    started_at: new Date(start).toISOString(),
  });

  it('says what a backup waits for before its first byte, never a bare 0 B', () => {
    expect(backupProgress({ status: 'pending', bytes_processed: 0, started_at: null }, 1000, start)).toMatchObject({
      phase: 'queued',
      label: 'waiting for a worker…',
      elapsedMs: null,
      percent: null,
    });
    expect(backupProgress(running(0), 1000, start + 3_000)).toMatchObject({
      phase: 'waiting',
      label: 'waiting for pg_dump…',
      elapsedMs: 3_000,
      percent: null,
      remainingMs: null,
    });
  });

  it('gives a percentage of the previous size and the time left at the observed rate', () => {
    // 25 MiB of an expected 100 MiB, seen arriving at 5 MiB/s: 25 %, 15 s to go.
    const facts = backupProgress(running(25 * 1024 ** 2), 100 * 1024 ** 2, start + 10_000, 5 * 1024 ** 2);
    expect(facts).toMatchObject({ phase: 'dumping', label: 'dumping…', percent: 25, elapsedMs: 10_000 });
    expect(facts!.rate).toBe(5 * 1024 ** 2);
    expect(facts!.remainingMs).toBeCloseTo(15_000);
    // Without an observed rate, the rate since the start is shown, but promises no time left (it
    // counts the wait before the first byte).
    const early = backupProgress(running(25 * 1024 ** 2), 100 * 1024 ** 2, start + 10_000);
    expect(early).toMatchObject({ rate: 2.5 * 1024 ** 2, remainingMs: null });
  });

  it('never claims 100 % while running, and gives no time left past the previous size or without one', () => {
    expect(backupProgress(running(2_000), 1_000, start + 5_000)).toMatchObject({ percent: 99, remainingMs: null });
    expect(backupProgress(running(2_000), null, start + 5_000)).toMatchObject({ percent: null, remainingMs: null });
    expect(backupProgress({ ...running(10), status: 'success' as const }, 1_000, start)).toBeNull();
  });
});
