import type { PartSizeSchedule } from './part-size';

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk);
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError(`Expected a byte stream, got a chunk of type ${typeof chunk}`);
}

/**
 * Cuts a byte stream into parts of exactly schedule(1), schedule(2), … bytes; the last part
 * holds what remains (an empty stream gives one empty part). Each part is one buffer filled
 * in place, allocated only when its first byte arrives, and the source is read only while
 * the consumer asks for the next part: a consumer that uploads part N while this fills N+1
 * holds at most two parts.
 */
export async function* splitIntoParts(
  source: AsyncIterable<unknown>,
  schedule: PartSizeSchedule,
): AsyncGenerator<Buffer> {
  let partNumber = 1;
  let part: Buffer | undefined;
  let filled = 0;
  for await (const raw of source) {
    let chunk = toBuffer(raw);
    while (chunk.length > 0) {
      part ??= Buffer.allocUnsafe(schedule(partNumber));
      const n = chunk.copy(part, filled, 0, Math.min(chunk.length, part.length - filled));
      filled += n;
      chunk = chunk.subarray(n);
      if (filled === part.length) {
        yield part;
        partNumber++;
        part = undefined;
        filled = 0;
      }
    }
  }
  if (part) yield part.subarray(0, filled);
  else if (partNumber === 1) yield Buffer.alloc(0);
}
