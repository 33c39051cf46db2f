import { Readable } from 'node:stream';
import { Rechunk } from './rechunk';

/** The chunks as pushed (flowing mode: one 'data' event per push). */
function pushed(input: Buffer[], size: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    Readable.from(input)
      .pipe(new Rechunk(size))
      .on('data', (chunk: Buffer) => out.push(chunk))
      .on('end', () => resolve(out))
      .on('error', reject);
  });
}

describe('Rechunk', () => {
  it('passes every byte through, in order, in chunks of at least the size except the last', async () => {
    const input = Array.from({ length: 300 }, (_, i) => Buffer.alloc(37, i % 256));
    const out = await pushed(input, 1000);
    expect(Buffer.concat(out).equals(Buffer.concat(input))).toBe(true);
    for (const chunk of out.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(1000);
    expect(out.length).toBe(Math.ceil((300 * 37) / 1036));
  });

  it('ends cleanly on an empty stream', async () => {
    expect(await pushed([], 1000)).toEqual([]);
  });
});
