import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { splitIntoParts } from './split-into-parts';

async function collect(source: AsyncIterable<unknown>, schedule: (n: number) => number): Promise<Buffer[]> {
  const parts: Buffer[] = [];
  for await (const part of splitIntoParts(source, schedule)) parts.push(Buffer.from(part));
  return parts;
}

describe('splitIntoParts', () => {
  it('cuts parts of exactly the scheduled sizes, whatever the chunk sizes, and keeps every byte', async () => {
    const data = randomBytes(100_003);
    const chunks: Buffer[] = [];
    for (let at = 0; at < data.length;) {
      const size = 1 + ((at * 7919) % 9000);
      chunks.push(data.subarray(at, at + size));
      at += size;
    }
    const parts = await collect(Readable.from(chunks), (n) => 10_000 * n);
    expect(parts.map((p) => p.length)).toEqual([10_000, 20_000, 30_000, 40_000, 3]);
    expect(Buffer.concat(parts).equals(data)).toBe(true);
  });

  it('gives one empty part for an empty stream and no empty tail on an exact boundary', async () => {
    expect((await collect(Readable.from([]), () => 10)).map((p) => p.length)).toEqual([0]);
    expect((await collect(Readable.from([Buffer.alloc(20)]), () => 10)).map((p) => p.length)).toEqual([10, 10]);
  });

  it('accepts strings and Uint8Arrays', async () => {
    const parts = await collect(Readable.from(['ab', new Uint8Array([99, 100]), Buffer.from('e')]), () => 4);
    expect(Buffer.concat(parts).toString()).toBe('abcde');
  });

  it('reads no further than the part being filled while the consumer holds the previous one', async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 100; i++) {
        pulled += 1000;
        yield Buffer.alloc(1000, i);
      }
    }
    const parts = splitIntoParts(source(), () => 5000);
    const first = await parts.next();
    expect(first.value).toHaveLength(5000);
    // Holding part 1, nothing more is read until the next part is asked for.
    await new Promise((resolve) => setImmediate(resolve));
    expect(pulled).toBe(5000);
    await parts.next();
    expect(pulled).toBe(10_000);
    await parts.return(undefined);
  });

  it('passes a source error to the consumer', async () => {
    async function* failing() {
      yield randomBytes(100);
      throw new Error('pg_dump died');
    }
    await expect(collect(failing(), () => 1000)).rejects.toThrow('pg_dump died');
  });
});
