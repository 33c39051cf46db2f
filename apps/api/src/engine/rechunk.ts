import { Transform, type TransformCallback } from 'node:stream';

/**
 * Gathers small chunks into ones of at least `size` bytes. pg_dump writes a few KB at a time;
 * each later stage (hashing, encryption, upload, file writes) then runs per MiB instead of per
 * few KB, which leaves the CPU to pg_dump. Holds at most `size` bytes plus one chunk.
 */
export class Rechunk extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly size = 1024 * 1024) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= this.size) this.release();
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.pendingBytes) this.release();
    callback();
  }

  private release(): void {
    this.push(this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
  }
}
