import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** Passes bytes through while counting them and computing their SHA-256. */
export class DigestStream extends Transform {
  private readonly hash = createHash('sha256');
  private count = 0;
  private result: string | undefined;

  constructor(private readonly onBytes?: (total: number) => void) {
    super();
  }

  get bytes(): number {
    return this.count;
  }

  /** Hex SHA-256, available once the stream has ended. */
  get sha256(): string {
    if (this.result === undefined) throw new Error('the stream has not ended');
    return this.result;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.count += chunk.length;
    this.onBytes?.(this.count);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.result = this.hash.digest('hex');
    callback();
  }
}
