import { GetObjectCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { freePort, startS3, type RunningS3 } from '@dumpstation/testing';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { Readable } from 'node:stream';
import { InvalidObjectKeyError, ObjectStoreError } from './object-store';
import { S3ObjectStore, createS3Client, type S3StoreSettings, type S3StoreTuning } from './s3-object-store';

const MiB = 1024 * 1024;
const FIVE_MIB_PARTS: S3StoreTuning = { partSizeSchedule: () => 5 * MiB };

/** Random bytes in uneven chunks, hashed as they are produced; optionally failing after `failAfter` bytes. */
function randomStream(total: number, options: { failAfter?: number; onPull?: (pulled: number) => void } = {}) {
  const hash = createHash('sha256');
  let pulled = 0;
  const stream = new Readable({
    read() {
      if (options.failAfter !== undefined && pulled >= options.failAfter) {
        this.destroy(new Error('pg_dump exited with code 1'));
        return;
      }
      if (pulled >= total) {
        this.push(null);
        return;
      }
      const chunk = randomBytes(Math.min(total - pulled, 1 + randomInt(256 * 1024)));
      hash.update(chunk);
      pulled += chunk.length;
      options.onPull?.(pulled);
      this.push(chunk);
    },
  });
  return { stream, sha256: () => hash.copy().digest('hex'), pulled: () => pulled };
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function failureOf(promise: Promise<unknown>): Promise<ObjectStoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ObjectStoreError);
  return error as ObjectStoreError;
}

describe('S3ObjectStore against s3rver', () => {
  let s3: RunningS3;
  let raw: S3Client;
  const stores: S3ObjectStore[] = [];

  const settings = (overrides: Partial<S3StoreSettings> = {}): S3StoreSettings => ({
    provider: 'minio',
    bucket: 'backups',
    endpoint: s3.endpoint,
    region: s3.region,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    prefix: 'tenant-a/',
    ...overrides,
  });
  const storeWith = (overrides: Partial<S3StoreSettings> = {}, tuning: S3StoreTuning = FIVE_MIB_PARTS) => {
    const store = new S3ObjectStore(settings(overrides), tuning);
    stores.push(store);
    return store;
  };
  const unfinishedUploads = async () =>
    (await raw.send(new ListMultipartUploadsCommand({ Bucket: 'backups' }))).Uploads ?? [];

  beforeAll(async () => {
    s3 = await startS3({ buckets: ['backups'] });
    raw = createS3Client({ ...settings(), prefix: undefined });
  });
  afterAll(async () => {
    for (const store of stores) store.destroy();
    raw.destroy();
    await s3.stop();
  });

  it('streams a 20 MiB dump in several multipart parts and reads it back byte for byte', async () => {
    const store = storeWith();
    const source = randomStream(20 * MiB + 12_345);
    const result = await store.put('db/2026/01/big.dump', source.stream, { contentType: 'application/octet-stream' });

    expect(result).toEqual({ bytes: 20 * MiB + 12_345, parts: 5 });
    expect(await store.head('db/2026/01/big.dump')).toEqual({ bytes: 20 * MiB + 12_345 });
    expect(await sha256Of(await store.get('db/2026/01/big.dump'))).toBe(source.sha256());
    // Under the configured prefix, as `aws s3 cp` would find it.
    const object = await raw.send(new GetObjectCommand({ Bucket: 'backups', Key: 'tenant-a/db/2026/01/big.dump' }));
    expect(object.ContentLength).toBe(20 * MiB + 12_345);
    object.Body?.transformToWebStream().cancel();
    expect(await unfinishedUploads()).toEqual([]);

    await store.delete('db/2026/01/big.dump');
    expect(await store.head('db/2026/01/big.dump')).toBeNull();
  });

  it('uses a single PutObject for a stream smaller than the first part, empty ones included', async () => {
    const store = storeWith();
    const source = randomStream(300_000);
    expect(await store.put('db/small.dump', source.stream)).toEqual({ bytes: 300_000, parts: 0 });
    expect(await sha256Of(await store.get('db/small.dump'))).toBe(source.sha256());

    expect(await store.put('db/empty.dump', Readable.from([]))).toEqual({ bytes: 0, parts: 0 });
    expect(await store.head('db/empty.dump')).toEqual({ bytes: 0 });
  });

  it('uses path-style URLs for an S3-compatible endpoint even when the stored flag says otherwise', async () => {
    // s3rver (like most self-hosted endpoints) has no wildcard DNS for bucket-in-hostname URLs.
    const store = storeWith({ forcePathStyle: false, endpoint: s3.endpoint.replace('127.0.0.1', 'localhost') });
    await store.put('db/path-style.dump', Readable.from([Buffer.from('ok')]));
    expect(await store.head('db/path-style.dump')).toEqual({ bytes: 2 });
  });

  it('lists keys under a prefix, relative to the store prefix', async () => {
    const store = storeWith({ prefix: 'listing' });
    for (const key of ['db1/a.dump', 'db1/a.dump.json', 'db10/b.dump', 'other/c.dump']) {
      await store.put(key, Readable.from([Buffer.from(key)]));
    }
    expect((await store.list('db1/')).sort()).toEqual(['db1/a.dump', 'db1/a.dump.json']);
    expect((await store.list('db1')).sort()).toEqual(['db1/a.dump', 'db1/a.dump.json', 'db10/b.dump']);
    expect(await store.list('')).toHaveLength(4);
    expect(await store.list('none/')).toEqual([]);
  });

  it('aborts the multipart upload when the source stream fails midway: no object, no unfinished upload', async () => {
    const store = storeWith();
    const source = randomStream(40 * MiB, { failAfter: 12 * MiB });
    const error = await failureOf(store.put('db/broken.dump', source.stream));

    expect(error.kind).toBe('other');
    expect(error.message).toBe(
      "Upload of 'db/broken.dump' stopped: the source stream failed: pg_dump exited with code 1",
    );
    expect(source.pulled()).toBeLessThan(40 * MiB);
    expect(await store.head('db/broken.dump')).toBeNull();
    expect(await unfinishedUploads()).toEqual([]);
  });

  it('stops, cleans up and says so when the caller aborts', async () => {
    const store = storeWith();
    const controller = new AbortController();
    const source = randomStream(40 * MiB, { onPull: (n) => n > 11 * MiB && controller.abort(new Error('stalled')) });
    const error = await failureOf(store.put('db/cancelled.dump', source.stream, { signal: controller.signal }));

    expect(error.message).toBe("Upload of 'db/cancelled.dump' was cancelled");
    expect(source.stream.destroyed).toBe(true);
    expect(source.pulled()).toBeLessThan(40 * MiB);
    expect(await store.head('db/cancelled.dump')).toBeNull();
    expect(await unfinishedUploads()).toEqual([]);
  });

  it('stops reading the source when the storage goes away mid-upload, and reports the leftover upload', async () => {
    const doomed = await startS3({ buckets: ['backups'] });
    const store = storeWith({ endpoint: doomed.endpoint }, { ...FIVE_MIB_PARTS, maxAttempts: 1 });
    let stopping: Promise<void> | undefined;
    const source = randomStream(40 * MiB, { onPull: (n) => void (n > 8 * MiB && (stopping ??= doomed.stop())) });
    const error = await failureOf(store.put('db/lost.dump', source.stream));
    await stopping;

    expect(error.kind).toBe('network');
    expect(error.message).toMatch(
      new RegExp(`^Cannot reach ${doomed.endpoint}: connection (refused|reset).*could not be removed`),
    );
    expect(source.stream.destroyed).toBe(true);
    expect(source.pulled()).toBeLessThan(25 * MiB);
  });

  it('reports a wrong secret key or access key as an auth error', async () => {
    const wrongSecret = storeWith({ secretAccessKey: 'not-the-secret' });
    const error = await failureOf(wrongSecret.list(''));
    expect(error.kind).toBe('auth');
    expect(error.message).toBe('Access denied: check the access key and secret key');
    expect((await failureOf(wrongSecret.put('db/x.dump', Readable.from([Buffer.from('x')])))).kind).toBe('auth');

    const wrongKeyId = storeWith({ accessKeyId: 'NOBODY' });
    expect((await failureOf(wrongKeyId.list(''))).message).toBe(
      'Access denied: the access key is not known; check the access key and secret key',
    );
  });

  it("reports a bucket that does not exist as 'bucket_missing'", async () => {
    const store = storeWith({ bucket: 'no-such-bucket' });
    const error = await failureOf(store.list(''));
    expect(error.kind).toBe('bucket_missing');
    expect(error.message).toBe("Bucket 'no-such-bucket' does not exist");
    expect((await failureOf(store.put('db/x.dump', randomStream(6 * MiB).stream))).kind).toBe('bucket_missing');
    expect((await failureOf(store.put('db/y.dump', randomStream(10).stream))).kind).toBe('bucket_missing');
  });

  it('reports an endpoint nobody listens on as a network error', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const store = storeWith({ endpoint }, { maxAttempts: 1 });
    const error = await failureOf(store.list(''));
    expect(error.kind).toBe('network');
    expect(error.message).toBe(`Cannot reach ${endpoint}: connection refused`);
    expect((await failureOf(store.put('db/x.dump', randomStream(1000).stream))).kind).toBe('network');
  });

  it("reports a missing object as 'not_found' on get, null on head, and deletes idempotently", async () => {
    const store = storeWith();
    const error = await failureOf(store.get('db/nothing.dump'));
    expect(error.kind).toBe('not_found');
    expect(error.message).toBe("Object 'db/nothing.dump' does not exist in bucket 'backups'");
    expect(await store.head('db/nothing.dump')).toBeNull();
    await expect(store.delete('db/nothing.dump')).resolves.toBeUndefined();
  });

  it('rejects keys that could escape the prefix before sending anything', async () => {
    const store = storeWith();
    for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a\0b', '', 'a//b']) {
      await expect(store.put(key, Readable.from([]))).rejects.toBeInstanceOf(InvalidObjectKeyError);
      await expect(store.get(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
    }
    await expect(store.list('../')).rejects.toBeInstanceOf(InvalidObjectKeyError);
  });

  it('needs an endpoint for R2 and MinIO', () => {
    expect(() => createS3Client({ ...settings(), provider: 'r2', endpoint: undefined })).toThrow(
      'An endpoint URL is required for R2',
    );
  });
});
