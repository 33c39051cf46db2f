import { formatBytes, formatBytesExact } from './bytes';

describe('formatBytes (IEC)', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [23_731_839, '22.6 MiB'],
    [150 * 1024 * 1024, '150 MiB'],
    [1024 * 1024 - 1, '1.0 MiB'],
    [5 * 1024 ** 4, '5.0 TiB'],
  ])('%d bytes → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('adds the exact count where nothing can be hovered (Discord, error messages)', () => {
    expect(formatBytesExact(23_731_839)).toBe('22.6 MiB (23,731,839 bytes)');
    expect(formatBytesExact(812)).toBe('812 bytes');
  });
});
