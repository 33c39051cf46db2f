import { PassThrough, type Duplex, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pgDumpCompressArgument, type Compression } from './compression';
import { DigestStream } from './digest';
import type { PgConnection } from './pg-connection';
import { runPgTool } from './pg-tool-process';
import type { ObjectStore } from './storage/object-store';

export interface DumpOptions {
  includeSchemas: string[];
  excludeSchemas: string[];
  includeTables: string[];
  excludeTables: string[];
  /** Resolved for the pg_dump that runs (effectiveCompression). */
  compression: Compression;
}

export interface BackupPlan {
  conn: PgConnection;
  /** Absolute path of the pg_dump to run (from PgClientResolver). */
  pgDump: string;
  options: DumpOptions;
  /** age recipients; none: stored unencrypted. */
  recipients: string[];
  store: ObjectStore;
  key: string;
  signal?: AbortSignal;
  /** Called as archive bytes flow (often: throttle before writing anywhere). */
  onProgress?: (dumpBytes: number) => void;
  /** Called with the multipart upload's id once the storage began one. */
  onUploadStarted?: (uploadId: string) => void;
}

export interface BackupResult {
  /** The stored object's size and SHA-256 (the ciphertext when encrypted). */
  objectBytes: number;
  objectSha256: string;
  /** The pg_dump archive's size and SHA-256. */
  dumpBytes: number;
  sha256: string;
  warnings: string[];
}

export type BackupStage = 'pg_dump' | 'encrypt' | 'upload';

/** Which stage failed first, and its own message (pg_dump: the tail of its stderr). */
export class BackupStageError extends Error {
  constructor(
    readonly stage: BackupStage,
    cause: unknown,
  ) {
    super(`${stage} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'BackupStageError';
  }
}

function isCascade(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  return name === 'AbortError' || code === 'ABORT_ERR' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

/** pg_dump's arguments: the custom format, its compression, and the chosen schemas/tables, each one argv element. */
export function pgDumpArguments(options: DumpOptions): string[] {
  return [
    '--format=custom',
    '--no-password',
    pgDumpCompressArgument(options.compression),
    ...options.includeSchemas.map((s) => `--schema=${s}`),
    ...options.excludeSchemas.map((s) => `--exclude-schema=${s}`),
    ...options.includeTables.map((t) => `--table=${t}`),
    ...options.excludeTables.map((t) => `--exclude-table=${t}`),
  ];
}

/**
 * pg_dump -Fc → SHA-256 → (age) → SHA-256 → object store, streaming end to end: no temp file,
 * memory bounded by the store's part buffer. The first stage to fail stops the others; the
 * store then aborts its upload, so nothing is left behind.
 */
export async function dumpToStore(plan: BackupPlan): Promise<BackupResult> {
  let firstFailure: BackupStageError | undefined;
  const fail = (stage: BackupStage, error: unknown) => {
    firstFailure ??= new BackupStageError(stage, error);
  };

  const run = runPgTool(plan.pgDump, pgDumpArguments(plan.options), plan.conn, { largeWrites: true });
  // pg_dump's own failure, not its being stopped because a later stage failed.
  void run.done.catch((error) => {
    if (!run.stoppedEarly()) fail('pg_dump', error);
  });

  const dumpDigest = new DigestStream(plan.onProgress);
  const objectDigest = new DigestStream();
  const body = new PassThrough();
  const stages: (Readable | Duplex)[] = [run.stdout, dumpDigest];
  if (plan.recipients.length) {
    try {
      // Loaded only when needed: age-encryption adds ~0.1 s to the backup worker's start.
      const { encryptingStream } = await import('./age');
      stages.push(await encryptingStream(plan.recipients));
    } catch (error) {
      run.kill();
      throw new BackupStageError('encrypt', error);
    }
  }
  // Unencrypted, the object is the archive: one digest serves both (hashing costs CPU pg_dump needs).
  if (plan.recipients.length) stages.push(objectDigest);

  const streamed = pipeline([...stages, body], { signal: plan.signal }).catch((error: unknown) => {
    // A stream torn down because another stage failed says nothing about the cause.
    if (!isCascade(error)) fail(plan.recipients.length ? 'encrypt' : 'pg_dump', error);
    throw error;
  });
  const uploaded = plan.store
    .put(plan.key, body, { signal: plan.signal, onUploadStarted: plan.onUploadStarted })
    .catch((error: unknown) => {
      fail('upload', error);
      throw error;
    });
  const [streamOutcome, uploadOutcome] = await Promise.allSettled([streamed, uploaded]);
  if (streamOutcome.status === 'rejected' || uploadOutcome.status === 'rejected' || firstFailure) {
    run.kill();
    await run.done.catch(() => undefined);
    throw firstFailure ?? new BackupStageError('upload', 'stopped');
  }
  await run.done;
  const stored = plan.recipients.length ? objectDigest : dumpDigest;
  return {
    objectBytes: stored.bytes,
    objectSha256: stored.sha256,
    dumpBytes: dumpDigest.bytes,
    sha256: dumpDigest.sha256,
    warnings: run.warnings(),
  };
}
