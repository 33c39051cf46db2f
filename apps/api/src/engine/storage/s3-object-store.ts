import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type CompletedPart,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Readable, addAbortSignal } from 'node:stream';
import {
  ObjectStoreError,
  assertValidKey,
  assertValidPrefix,
  type ObjectStore,
  type PutOptions,
  type UnfinishedUpload,
} from './object-store';
import { MAX_PARTS, growingPartSize, type PartSizeSchedule } from './part-size';
import { toObjectStoreError } from './s3-errors';
import { splitIntoParts } from './split-into-parts';

export interface S3StoreSettings {
  provider: 's3' | 'r2' | 'minio';
  bucket: string;
  region?: string;
  /** Required for r2 and minio; for s3 only to reach an S3-compatible service. */
  endpoint?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Prepended to every key (`<prefix>/<key>`). */
  prefix?: string;
  /** Only consulted for AWS S3 itself: R2, MinIO and custom endpoints always use path-style URLs. */
  forcePathStyle?: boolean;
}

export interface S3StoreTuning {
  /** Tests use small fixed parts; production uses growingPartSize. */
  partSizeSchedule?: PartSizeSchedule;
  /** Attempts per request, retries included (SDK default 3). */
  maxAttempts?: number;
  connectionTimeoutMs?: number;
  /** A socket idle this long fails the request. */
  socketTimeoutMs?: number;
}

export interface S3PutResult {
  bytes: number;
  /** 0 for a single PutObject (a stream smaller than the first part), else the multipart part count. */
  parts: number;
}

/** Builds the SDK client; S3-compatible services get the options they need (see ENVIRONMENT.md). */
export function createS3Client(settings: S3StoreSettings, tuning: S3StoreTuning = {}): S3Client {
  if (settings.provider !== 's3' && !settings.endpoint) {
    throw new ObjectStoreError(
      'other',
      `An endpoint URL is required for ${settings.provider === 'r2' ? 'R2' : 'MinIO'}`,
    );
  }
  const compatible = settings.provider !== 's3' || Boolean(settings.endpoint);
  const config: S3ClientConfig = {
    region: settings.region || (settings.provider === 'r2' ? 'auto' : 'us-east-1'),
    endpoint: settings.endpoint,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    // Bucket-in-hostname needs wildcard DNS that self-hosted endpoints rarely have.
    forcePathStyle: compatible || settings.forcePathStyle === true,
    maxAttempts: tuning.maxAttempts ?? 3,
    requestHandler: {
      connectionTimeout: tuning.connectionTimeoutMs ?? 10_000,
      socketTimeout: tuning.socketTimeoutMs ?? 120_000,
    },
  };
  if (compatible) {
    // R2, MinIO and s3rver mishandle the SDK's default flexible checksums (aws-chunked bodies).
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  }
  return new S3Client(config);
}

export class S3ObjectStore implements ObjectStore {
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly endpoint: string;
  private readonly partSize: PartSizeSchedule;

  constructor(settings: S3StoreSettings, tuning: S3StoreTuning = {}) {
    this.client = createS3Client(settings, tuning);
    this.bucket = settings.bucket;
    this.prefix = (settings.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.endpoint = settings.endpoint ?? `https://s3.${settings.region || 'us-east-1'}.amazonaws.com`;
    this.partSize = tuning.partSizeSchedule ?? growingPartSize;
  }

  /** Closes the client's sockets. */
  destroy(): void {
    this.client.destroy();
  }

  async put(key: string, body: Readable, opts: PutOptions = {}): Promise<S3PutResult> {
    const Key = this.fullKey(key);
    // Stops reading the source as soon as the caller aborts or a part upload fails.
    const stop = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
    addAbortSignal(signal, body);
    const parts = splitIntoParts(body, this.partSize);
    const Bucket = this.bucket;
    let UploadId: string | undefined;
    try {
      const first = await parts.next();
      const firstPart = first.done ? Buffer.alloc(0) : first.value;
      if (firstPart.length < this.partSize(1)) {
        const input = { Bucket, Key, Body: firstPart, ContentLength: firstPart.length, ContentType: opts.contentType };
        await this.call(() => this.client.send(new PutObjectCommand(input), { abortSignal: signal }), key);
        return { bytes: firstPart.length, parts: 0 };
      }

      const create = { Bucket, Key, ContentType: opts.contentType };
      const created = await this.call(
        () => this.client.send(new CreateMultipartUploadCommand(create), { abortSignal: signal }),
        key,
      );
      UploadId = created.UploadId;
      if (!UploadId) throw new ObjectStoreError('other', 'The storage did not return a multipart upload ID');
      opts.onUploadStarted?.(UploadId);
      const target = { Bucket, Key, UploadId };
      const { completed, bytes } = await this.uploadParts(target, key, firstPart, parts, signal, stop);
      const complete = { ...target, MultipartUpload: { Parts: completed } };
      await this.call(
        () => this.client.send(new CompleteMultipartUploadCommand(complete), { abortSignal: signal }),
        key,
      );
      return { bytes, parts: completed.length };
    } catch (error) {
      const failure = this.describeFailure(error, key, opts.signal);
      // The caller's pipeline (pg_dump → hash → …) must stop too.
      body.destroy();
      if (UploadId) await this.abortAfterFailure(Key, UploadId, failure);
      throw failure;
    }
  }

  /**
   * Uploads part 1 (`first`) and the rest of `parts`, one part in flight while the next one
   * fills: at most two parts in memory. When it throws, no part request is still running, and
   * a part's own failure wins over the source error it provoked by aborting `stop`.
   */
  private async uploadParts(
    target: { Bucket: string; Key: string; UploadId: string },
    key: string,
    first: Buffer,
    parts: AsyncGenerator<Buffer>,
    signal: AbortSignal,
    stop: AbortController,
  ): Promise<{ completed: CompletedPart[]; bytes: number }> {
    const completed: CompletedPart[] = [];
    let bytes = 0;
    let inFlight: Promise<void> = Promise.resolve();
    let partFailure: unknown;
    try {
      let PartNumber = 0;
      for (let part: Buffer | undefined = first; part;) {
        PartNumber++;
        if (PartNumber > MAX_PARTS) {
          throw new ObjectStoreError('other', `The object is too large: more than ${MAX_PARTS} parts`);
        }
        await inFlight;
        if (partFailure) throw partFailure;
        const input = { ...target, PartNumber, Body: part };
        bytes += part.length;
        inFlight = this.call(() => this.client.send(new UploadPartCommand(input), { abortSignal: signal }), key).then(
          (result) => void completed.push({ PartNumber: input.PartNumber, ETag: result.ETag }),
          (error: unknown) => {
            // Recorded, not rejected: nobody awaits this promise while the next part is read.
            partFailure = error;
            stop.abort(error);
          },
        );
        const next = await parts.next();
        part = next.done ? undefined : next.value;
      }
      await inFlight;
    } catch (error) {
      await inFlight;
      throw partFailure ?? error;
    }
    if (partFailure) throw partFailure;
    return { completed: completed.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0)), bytes };
  }

  async get(key: string): Promise<Readable> {
    const input = { Bucket: this.bucket, Key: this.fullKey(key) };
    const result = await this.call(() => this.client.send(new GetObjectCommand(input)), key);
    if (!(result.Body instanceof Readable)) {
      throw new ObjectStoreError('other', `The storage returned no readable body for '${key}'`);
    }
    return result.Body;
  }

  async head(key: string): Promise<{ bytes: number } | null> {
    try {
      const input = { Bucket: this.bucket, Key: this.fullKey(key) };
      const result = await this.call(() => this.client.send(new HeadObjectCommand(input)), key);
      return { bytes: result.ContentLength ?? 0 };
    } catch (error) {
      // HEAD responses have no body, so a missing bucket also reads as "not found" here.
      if (error instanceof ObjectStoreError && error.kind === 'not_found') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const input = { Bucket: this.bucket, Key: this.fullKey(key) };
    await this.call(() => this.client.send(new DeleteObjectCommand(input)), key);
  }

  async list(prefix: string): Promise<string[]> {
    assertValidPrefix(prefix);
    const base = this.prefix ? `${this.prefix}/` : '';
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const input = { Bucket: this.bucket, Prefix: base + prefix, ContinuationToken };
      const page = await this.call(() => this.client.send(new ListObjectsV2Command(input)));
      for (const object of page.Contents ?? []) {
        if (object.Key?.startsWith(base)) keys.push(object.Key.slice(base.length));
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return keys;
  }

  async abortUpload(key: string, uploadId: string): Promise<void> {
    const input = { Bucket: this.bucket, Key: this.fullKey(key), UploadId: uploadId };
    try {
      await this.call(
        () => this.client.send(new AbortMultipartUploadCommand(input), { abortSignal: AbortSignal.timeout(30_000) }),
        key,
      );
    } catch (error) {
      // Already completed or aborted: nothing is left.
      if (error instanceof ObjectStoreError && error.kind === 'not_found') return;
      throw error;
    }
  }

  async unfinishedUploads(prefix: string): Promise<UnfinishedUpload[]> {
    assertValidPrefix(prefix);
    const base = this.prefix ? `${this.prefix}/` : '';
    const found: UnfinishedUpload[] = [];
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    do {
      const input = { Bucket: this.bucket, Prefix: base + prefix, KeyMarker, UploadIdMarker };
      const page = await this.call(() =>
        this.client.send(new ListMultipartUploadsCommand(input), { abortSignal: AbortSignal.timeout(30_000) }),
      );
      for (const upload of page.Uploads ?? []) {
        if (!upload.Key?.startsWith(base) || !upload.UploadId) continue;
        found.push({ key: upload.Key.slice(base.length), uploadId: upload.UploadId, initiated: upload.Initiated });
      }
      const more = page.IsTruncated && (page.NextKeyMarker || page.NextUploadIdMarker);
      KeyMarker = more ? page.NextKeyMarker : undefined;
      UploadIdMarker = more ? page.NextUploadIdMarker : undefined;
    } while (KeyMarker || UploadIdMarker);
    return found;
  }

  private fullKey(key: string): string {
    assertValidKey(key);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  /** Every SDK call goes through here, so any error that is not an ObjectStoreError came from the source stream. */
  private async call<T>(request: () => Promise<T>, key?: string): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw toObjectStoreError(error, { bucket: this.bucket, endpoint: this.endpoint, key });
    }
  }

  private describeFailure(error: unknown, key: string, callerSignal?: AbortSignal): ObjectStoreError {
    if (callerSignal?.aborted) {
      return new ObjectStoreError('other', `Upload of '${key}' was cancelled`, { cause: callerSignal.reason ?? error });
    }
    if (error instanceof ObjectStoreError) return error;
    const detail = error instanceof Error ? error.message : String(error);
    return new ObjectStoreError('other', `Upload of '${key}' stopped: the source stream failed: ${detail}`, {
      cause: error,
    });
  }

  /** Removes the unfinished upload so its parts do not linger (and cost money) on the storage. */
  private async abortAfterFailure(Key: string, UploadId: string, failure: ObjectStoreError): Promise<void> {
    try {
      // Not bound to the caller's signal: it is typically the reason we are here, already aborted.
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId }), {
        abortSignal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      const reason = toObjectStoreError(error, { bucket: this.bucket, endpoint: this.endpoint, key: Key });
      failure.message += ` (and the unfinished upload ${UploadId} could not be removed: ${reason.message})`;
    }
  }
}
