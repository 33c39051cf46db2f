import type { Readable } from 'node:stream';

export interface PutOptions {
  contentType?: string;
  /** Aborting stops the upload, leaves nothing behind and rejects the put. */
  signal?: AbortSignal;
  /**
   * Called when a multipart upload begins, with its id: recorded on the job, so that whoever fails
   * the job (after a crash of this process) can abort the upload.
   */
  onUploadStarted?: (uploadId: string) => void;
}

/** A multipart upload that was begun and neither completed nor aborted. */
export interface UnfinishedUpload {
  key: string;
  uploadId: string;
  initiated?: Date;
}

/** Where backups live: S3-compatible storage or a local directory. Keys are relative, `/`-separated. */
export interface ObjectStore {
  /** Streams `body` to `key`; the object appears only once complete. */
  put(key: string, body: Readable, opts?: PutOptions): Promise<{ bytes: number }>;
  get(key: string): Promise<Readable>;
  /** Size of the object, or null when there is none. */
  head(key: string): Promise<{ bytes: number } | null>;
  /** Removes the object; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Every key starting with `prefix`, relative to the store. */
  list(prefix: string): Promise<string[]>;
  /** Removes an unfinished multipart upload (S3 only; a store without them has none). */
  abortUpload?(key: string, uploadId: string): Promise<void>;
  /** Unfinished multipart uploads whose key starts with `prefix` (S3 only). */
  unfinishedUploads?(prefix: string): Promise<UnfinishedUpload[]>;
}

export type ObjectStoreErrorKind = 'auth' | 'bucket_missing' | 'network' | 'not_found' | 'other';

/** A storage failure, classified so callers can react, with a message a user can act on. */
export class ObjectStoreError extends Error {
  constructor(
    readonly kind: ObjectStoreErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ObjectStoreError';
  }
}

/** A key that could escape the store or is malformed: a caller's bug, not a storage failure. */
export class InvalidObjectKeyError extends Error {
  constructor(key: string, reason: string) {
    super(`Invalid object key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'InvalidObjectKeyError';
  }
}

/** Rejects keys that are empty, absolute, contain NUL or backslashes, or have empty, `.` or `..` segments. */
export function assertValidKey(key: string): void {
  if (key.length === 0) throw new InvalidObjectKeyError(key, 'empty');
  if (key.includes('\0')) throw new InvalidObjectKeyError(key, 'contains NUL');
  if (key.startsWith('/')) throw new InvalidObjectKeyError(key, 'absolute path');
  if (key.includes('\\')) throw new InvalidObjectKeyError(key, 'contains a backslash');
  if (key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new InvalidObjectKeyError(key, 'empty, "." or ".." path segment');
  }
}

/** Like assertValidKey for a list prefix, which may be empty or end with `/`. */
export function assertValidPrefix(prefix: string): void {
  if (prefix === '') return;
  assertValidKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}
