import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { LocalObjectStore } from './local-object-store';
import { InvalidObjectKeyError, ObjectStoreError } from './object-store';

/** Every file under `dir`, relative, partial files included. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

function failingStream(bytesBeforeFailure: number): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(randomBytes(bytesBeforeFailure));
      } else {
        this.destroy(new Error('pg_dump exited with code 1'));
      }
    },
  });
}

async function failureOf(promise: Promise<unknown>): Promise<ObjectStoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ObjectStoreError);
  return error as ObjectStoreError;
}

describe('LocalObjectStore', () => {
  let parent: string;
  let root: string;
  let store: LocalObjectStore;

  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), 'local-store-'));
    root = join(parent, 'tenant-1');
    store = new LocalObjectStore(root);
  });
  afterEach(() => rm(parent, { recursive: true, force: true }));

  it('round-trips a stream byte for byte, creating directories as needed', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 7);
    const chunks = [data.subarray(0, 1000), data.subarray(1000, 2_000_000), data.subarray(2_000_000)];
    expect(await store.put('db/2026/01/a.dump', Readable.from(chunks))).toEqual({ bytes: data.length });

    expect(await store.head('db/2026/01/a.dump')).toEqual({ bytes: data.length });
    const hash = createHash('sha256');
    for await (const chunk of await store.get('db/2026/01/a.dump')) hash.update(chunk as Buffer);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    expect(await filesUnder(parent)).toEqual(['tenant-1/db/2026/01/a.dump']);

    await store.delete('db/2026/01/a.dump');
    expect(await store.head('db/2026/01/a.dump')).toBeNull();
    await expect(store.delete('db/2026/01/a.dump')).resolves.toBeUndefined();
  });

  it('lists keys by prefix, skipping partial files', async () => {
    for (const key of ['db1/a.dump', 'db1/a.dump.json', 'db10/b.dump', 'other/c.dump']) {
      await store.put(key, Readable.from([Buffer.from(key)]));
    }
    await writeFile(join(root, 'db1', 'z.dump.0123.partial'), 'half');
    expect(await store.list('db1/')).toEqual(['db1/a.dump', 'db1/a.dump.json']);
    expect(await store.list('db1')).toEqual(['db1/a.dump', 'db1/a.dump.json', 'db10/b.dump']);
    expect(await store.list('')).toHaveLength(4);
    expect(await store.list('missing/')).toEqual([]);
    expect(await new LocalObjectStore(join(parent, 'never-created')).list('')).toEqual([]);
  });

  it('rejects keys with "..", absolute paths or NUL, and writes nothing', async () => {
    for (const key of ['../escape.dump', 'a/../../escape.dump', '/etc/passwd', 'a\0b', '', 'a//b', 'a\\b']) {
      await expect(store.put(key, Readable.from([Buffer.from('x')]))).rejects.toBeInstanceOf(InvalidObjectKeyError);
      await expect(store.get(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
      await expect(store.head(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
      await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
    }
    await expect(store.list('../')).rejects.toBeInstanceOf(InvalidObjectKeyError);
    expect(await filesUnder(parent)).toEqual([]);
  });

  it('leaves no file when the source stream fails, and keeps an existing object intact', async () => {
    const error = await failureOf(store.put('db/new.dump', failingStream(64 * 1024)));
    expect(error.kind).toBe('other');
    expect(error.message).toBe("Upload of 'db/new.dump' stopped: the source stream failed: pg_dump exited with code 1");
    expect(await store.head('db/new.dump')).toBeNull();

    await store.put('db/kept.dump', Readable.from([Buffer.from('version 1')]));
    await failureOf(store.put('db/kept.dump', failingStream(1024)));
    expect(await readFile(join(root, 'db/kept.dump'), 'utf8')).toBe('version 1');
    expect(await filesUnder(root)).toEqual(['db/kept.dump']);
  });

  it('stops and cleans up when the caller aborts', async () => {
    const controller = new AbortController();
    const endless = new Readable({
      read() {
        this.push(randomBytes(64 * 1024));
        controller.abort();
      },
    });
    const error = await failureOf(store.put('db/cancelled.dump', endless, { signal: controller.signal }));
    expect(error.message).toBe("Upload of 'db/cancelled.dump' was cancelled");
    expect(await filesUnder(parent)).toEqual([]);
  });

  it("reports a missing object as 'not_found'", async () => {
    const error = await failureOf(store.get('db/nothing.dump'));
    expect(error.kind).toBe('not_found');
    expect(error.message).toBe("Object 'db/nothing.dump' does not exist");
    expect(await store.head('db/nothing.dump')).toBeNull();
  });

  describe('durability while writing', () => {
    const MiB = 1024 * 1024;
    let fileHandlePrototype: { datasync(): Promise<void> };

    beforeAll(async () => {
      const handle = await open(__filename, 'r');
      fileHandlePrototype = Object.getPrototypeOf(handle) as typeof fileHandlePrototype;
      await handle.close();
    });
    afterEach(() => jest.restoreAllMocks());

    function chunksOf(data: Buffer, size: number): Buffer[] {
      const chunks: Buffer[] = [];
      for (let at = 0; at < data.length; at += size) chunks.push(data.subarray(at, at + size));
      return chunks;
    }

    it('flushes to disk in the background as it writes, so the final fsync has little left', async () => {
      // Instant syncs: how many are started depends only on the bytes written, not on how busy the disk is.
      const datasync = jest.spyOn(fileHandlePrototype, 'datasync').mockResolvedValue(undefined);
      const data = randomBytes(6 * MiB);
      const synced = new LocalObjectStore(root, MiB);

      expect(await synced.put('db/big.dump', Readable.from(chunksOf(data, 256 * 1024)))).toEqual({
        bytes: data.length,
      });

      // 6 MiB in 1 MiB steps: a sync per step (none was still running), and the final one.
      expect(datasync.mock.calls.length).toBeGreaterThanOrEqual(6);
      expect((await readFile(join(root, 'db/big.dump'))).equals(data)).toBe(true);
    });

    it('fails the put, and leaves no file, when a background sync fails', async () => {
      jest
        .spyOn(fileHandlePrototype, 'datasync')
        .mockRejectedValue(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
      const synced = new LocalObjectStore(root, MiB);

      const error = await failureOf(
        synced.put('db/big.dump', Readable.from(chunksOf(randomBytes(4 * MiB), 64 * 1024))),
      );

      expect(error.message).toMatch(/EIO/);
      expect(await filesUnder(parent)).toEqual([]);
    });
  });
});
