import { MAX_PARTS, MAX_PART_SIZE, MIN_PART_SIZE, capacityOf, growingPartSize } from './part-size';

const MiB = 1024 * 1024;
const TiB = 1024 * 1024 * MiB;

describe('growingPartSize', () => {
  it('starts at 8 MiB and doubles every 1000 parts', () => {
    expect(growingPartSize(1)).toBe(8 * MiB);
    expect(growingPartSize(1000)).toBe(8 * MiB);
    expect(growingPartSize(1001)).toBe(16 * MiB);
    expect(growingPartSize(2001)).toBe(32 * MiB);
    expect(growingPartSize(MAX_PARTS)).toBe(4096 * MiB);
  });

  it('lets 10,000 parts cover at least 5 TiB, within S3 part limits', () => {
    expect(capacityOf(growingPartSize)).toBeGreaterThanOrEqual(5 * TiB);
    for (let n = 1; n <= MAX_PARTS; n++) {
      expect(growingPartSize(n)).toBeGreaterThanOrEqual(MIN_PART_SIZE);
      expect(growingPartSize(n)).toBeLessThanOrEqual(MAX_PART_SIZE);
    }
    // A fixed 8 MiB part would stop at 78 GiB: the growth is what lifts the ceiling.
    expect(capacityOf(() => 8 * MiB)).toBeLessThan(80 * 1024 * MiB);
  });

  it('keeps parts small for ordinary dumps', () => {
    // The first 1000 parts hold 7.8 GiB; a 50 GiB dump never needs parts above 32 MiB.
    expect(capacityOf(growingPartSize, 1000)).toBe(8000 * MiB);
    expect(capacityOf(growingPartSize, 3000)).toBeGreaterThan(50 * 1024 * MiB);
  });

  it('refuses part numbers outside 1..10000', () => {
    expect(() => growingPartSize(0)).toThrow(RangeError);
    expect(() => growingPartSize(MAX_PARTS + 1)).toThrow(RangeError);
  });
});
