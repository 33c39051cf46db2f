import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  InvalidObjectKeyError,
  ObjectStoreError,
  assertValidKey,
  assertValidPrefix,
  type ObjectStore,
  type PutOptions,
} from './object-store';

const PARTIAL_SUFFIX = '.partial';
/** How much a put writes between two background fdatasync calls. */
const SYNC_EVERY_BYTES = 32 * 1024 * 1024;

/**
 * Writes a file and makes it durable as it goes: every `syncEveryBytes` it starts an fdatasync in
 * the background, so the fsync at the end (before the rename publishes the file) has at most that
 * much left to write, not the whole dump the page cache would otherwise still hold. A failed
 * background sync fails the write: the kernel reports a writeback error only once.
 */
class SyncedFileWriter extends Writable {
  bytes = 0;
  private unsynced = 0;
  private syncing: Promise<void> | undefined;
  private syncError: unknown;

  constructor(
    private readonly handle: FileHandle,
    private readonly syncEveryBytes: number,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.writeAll([chunk]).then(() => callback(), callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    this.writeAll(chunks.map(({ chunk }) => chunk)).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    (async () => {
      await this.syncing;
      if (this.syncError) throw this.syncError;
      await this.handle.sync();
    })().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Never close the descriptor under a running fdatasync.
    (async () => {
      await this.syncing;
      await this.handle.close();
    })().then(
      () => callback(error),
      (closeError: Error) => callback(error ?? closeError),
    );
  }

  private async writeAll(buffers: Buffer[]): Promise<void> {
    if (this.syncError) throw this.syncError;
    let pending = buffers;
    let total = pending.reduce((sum, buffer) => sum + buffer.length, 0);
    while (total > 0) {
      const { bytesWritten } = await this.handle.writev(pending);
      this.bytes += bytesWritten;
      this.unsynced += bytesWritten;
      total -= bytesWritten;
      pending = total > 0 ? remainderAfter(pending, bytesWritten) : [];
    }
    if (this.unsynced >= this.syncEveryBytes && !this.syncing) {
      this.unsynced = 0;
      this.syncing = this.handle
        .datasync()
        .catch((error: unknown) => void (this.syncError ??= error))
        .finally(() => (this.syncing = undefined));
    }
  }
}

/** What is left of `buffers` once the first `written` bytes were written (a short writev). */
function remainderAfter(buffers: Buffer[], written: number): Buffer[] {
  const rest: Buffer[] = [];
  let skip = written;
  for (const buffer of buffers) {
    if (skip >= buffer.length) {
      skip -= buffer.length;
      continue;
    }
    rest.push(skip > 0 ? buffer.subarray(skip) : buffer);
    skip = 0;
  }
  return rest;
}

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Objects as files under a root directory (the caller passes `<STORAGE_LOCAL_ROOT>/<tenantId>`).
 * A put writes `<file>.<random>.partial`, fsyncs it and renames it into place, so a reader
 * never sees a half-written backup and a crash leaves only a `.partial` file, which list() skips.
 */
export class LocalObjectStore implements ObjectStore {
  private readonly root: string;

  constructor(
    root: string,
    private readonly syncEveryBytes = SYNC_EVERY_BYTES,
  ) {
    this.root = resolve(root);
  }

  async put(key: string, body: Readable, opts: PutOptions = {}): Promise<{ bytes: number }> {
    const file = this.pathOf(key);
    // Unique per put, so two writers of one key never share a partial file.
    const partial = `${file}.${randomBytes(6).toString('hex')}${PARTIAL_SUFFIX}`;
    let sourceError: unknown;
    body.once('error', (error) => (sourceError = error));
    let out: SyncedFileWriter | undefined;
    try {
      await mkdir(dirname(file), { recursive: true });
      out = new SyncedFileWriter(await open(partial, 'wx'), this.syncEveryBytes);
      // The writer fsyncs before it closes, so the rename below never publishes data still in the page cache.
      await pipeline(body, out, { signal: opts.signal });
      await rename(partial, file);
      await this.syncDirectory(dirname(file));
      return { bytes: out.bytes };
    } catch (error) {
      if (out && !out.closed) await once(out, 'close').catch(() => undefined);
      await rm(partial, { force: true });
      if (opts.signal?.aborted) {
        throw new ObjectStoreError('other', `Upload of '${key}' was cancelled`, { cause: opts.signal.reason ?? error });
      }
      if (sourceError) {
        const detail = sourceError instanceof Error ? sourceError.message : String(sourceError);
        throw new ObjectStoreError('other', `Upload of '${key}' stopped: the source stream failed: ${detail}`, {
          cause: sourceError,
        });
      }
      throw this.toError(error, key, 'write');
    }
  }

  async get(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    try {
      // Opening first turns a missing file into a rejected get, not a later stream error.
      const handle = await open(file, 'r');
      return handle.createReadStream();
    } catch (error) {
      throw this.toError(error, key, 'read');
    }
  }

  async head(key: string): Promise<{ bytes: number } | null> {
    const file = this.pathOf(key);
    try {
      const info = await stat(file);
      return info.isFile() ? { bytes: info.size } : null;
    } catch (error) {
      if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR') return null;
      throw this.toError(error, key, 'read');
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    try {
      await rm(file, { force: true });
    } catch (error) {
      throw this.toError(error, key, 'delete');
    }
  }

  async list(prefix: string): Promise<string[]> {
    assertValidPrefix(prefix);
    // Walk only the directory the prefix points into, then filter by the full prefix.
    const start = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const keys: string[] = [];
    await this.walk(join(this.root, start), keys);
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  private async walk(dir: string, into: string[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR') return;
      throw this.toError(error, relative(this.root, dir), 'read');
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await this.walk(path, into);
      else if (entry.isFile() && !entry.name.endsWith(PARTIAL_SUFFIX)) {
        into.push(relative(this.root, path).split(sep).join('/'));
      }
    }
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    if (key.endsWith(PARTIAL_SUFFIX)) throw new InvalidObjectKeyError(key, `ends with ${PARTIAL_SUFFIX}`);
    const path = resolve(this.root, key);
    // assertValidKey already rules out escapes; this guards against anything it missed.
    if (!path.startsWith(this.root + sep)) throw new InvalidObjectKeyError(key, 'outside the store');
    return path;
  }

  /** Makes the rename durable: the directory entry must reach the disk too. */
  private async syncDirectory(dir: string): Promise<void> {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  private toError(error: unknown, key: string, action: 'read' | 'write' | 'delete'): ObjectStoreError {
    if (error instanceof ObjectStoreError) return error;
    const code = errnoOf(error);
    const detail = error instanceof Error ? error.message : String(error);
    const cause = { cause: error };
    if (code === 'ENOENT' && action === 'read')
      return new ObjectStoreError('not_found', `Object '${key}' does not exist`, cause);
    if (code === 'EACCES' || code === 'EPERM') {
      return new ObjectStoreError('auth', `Permission denied to ${action} '${key}' under ${this.root}`, cause);
    }
    if (code === 'ENOSPC')
      return new ObjectStoreError('other', `No space left on the device holding ${this.root}`, cause);
    return new ObjectStoreError('other', `Cannot ${action} '${key}': ${detail}`, cause);
  }
}
