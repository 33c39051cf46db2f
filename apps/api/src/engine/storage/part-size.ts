/** Size in bytes of multipart part `partNumber` (1-based). */
export type PartSizeSchedule = (partNumber: number) => number;

const MiB = 1024 * 1024;
/** S3's limits: at most 10,000 parts, each 5 MiB to 5 GiB (the last one may be smaller). */
export const MAX_PARTS = 10_000;
export const MIN_PART_SIZE = 5 * MiB;
export const MAX_PART_SIZE = 5 * 1024 * MiB;

/**
 * Part sizes grow with the stream, because a fixed size caps the object at 10,000 × size
 * (8 MiB → 78 GiB) while a large fixed size wastes memory on small dumps:
 *
 *   parts     1–1000: 8 MiB   (total after them:   7.8 GiB)
 *   parts 1001–2000: 16 MiB  (                    23.4 GiB)
 *   parts 2001–3000: 32 MiB  (                    54.7 GiB)
 *   …doubling every 1000 parts…
 *   parts 8001–9000: 2 GiB   (                     3.9 TiB)
 *   parts 9001–10000: 4 GiB  (                     7.8 TiB)
 *
 * So 10,000 parts hold 7.8 TiB, above S3's 5 TiB object limit. Memory use follows the
 * current part size (two parts at most are held), so it only grows for dumps that are
 * already large: a 50 GiB dump never holds a part larger than 32 MiB.
 */
export const growingPartSize: PartSizeSchedule = (partNumber) => {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
    throw new RangeError(`Part number must be 1..${MAX_PARTS}, got ${partNumber}`);
  }
  return 8 * MiB * 2 ** Math.floor((partNumber - 1) / 1000);
};

/** Total bytes that the first `parts` parts of a schedule can hold. */
export function capacityOf(schedule: PartSizeSchedule, parts = MAX_PARTS): number {
  let total = 0;
  for (let n = 1; n <= parts; n++) total += schedule(n);
  return total;
}
