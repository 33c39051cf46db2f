import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decryptStream } from './age';
import { DigestStream } from './digest';
import type { PgConnection } from './pg-connection';
import { runPgTool } from './pg-tool-process';
import type { ObjectStore } from './storage/object-store';

export interface StoredArchive {
  store: ObjectStore;
  key: string;
  /** SHA-256 of the stored object and of the archive inside it (equal when not encrypted). */
  objectSha256: string;
  sha256: string;
  /** The tenant's age identity, when the object is encrypted. */
  identity: string | null;
}

/** The stored bytes or the archive are not what the backup recorded: nothing may be restored. */
export class IntegrityError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IntegrityError';
  }
}

export interface LocalArchive {
  path: string;
  bytes: number;
  /** Removes the temporary copy. */
  dispose(): Promise<void>;
}

/**
 * Streams the object from storage into a private temporary file, decrypting on the way,
 * and checks both SHA-256 digests. Only a verified file is returned; anything else throws
 * (and leaves no file behind).
 */
export async function fetchVerifiedArchive(archive: StoredArchive, tempRoot: string): Promise<LocalArchive> {
  const dir = await mkdtemp(join(tempRoot, 'dumpstation-'));
  const path = join(dir, 'archive.dump');
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const source = await archive.store.get(archive.key);
    const objectDigest = new DigestStream();
    const dumpDigest = new DigestStream();
    const file = createWriteStream(path, { mode: 0o600 });
    if (!archive.identity) {
      // Unencrypted, the object is the archive: one digest checks both.
      await pipeline(source, objectDigest, file);
    } else {
      const ciphertext = new PassThrough();
      const reading = pipeline(source, objectDigest, ciphertext);
      try {
        const plaintext = await decryptStream(ciphertext, archive.identity);
        await Promise.all([reading, pipeline(plaintext, dumpDigest, file)]);
      } catch (error) {
        source.destroy();
        ciphertext.destroy();
        await reading.catch(() => undefined);
        throw new IntegrityError(`The stored object cannot be decrypted: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
    if (objectDigest.sha256 !== archive.objectSha256) {
      throw new IntegrityError(
        `Checksum mismatch: the stored object's SHA-256 is ${objectDigest.sha256}, the backup recorded ${archive.objectSha256}`,
      );
    }
    const plain = archive.identity ? dumpDigest : objectDigest;
    if (plain.sha256 !== archive.sha256) {
      throw new IntegrityError(
        `Checksum mismatch: the archive's SHA-256 is ${plain.sha256}, the backup recorded ${archive.sha256}`,
      );
    }
    return { path, bytes: plain.bytes, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** `pg_restore --list`: the archive's table of contents, which proves pg_restore can read it. */
export async function listArchive(pgRestore: string, path: string): Promise<string[]> {
  const run = runPgTool(pgRestore, ['--list', path]);
  const chunks: Buffer[] = [];
  run.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  await Promise.all([run.done, new Promise((resolve, reject) => run.stdout.on('end', resolve).on('error', reject))]);
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith(';'));
}

export interface RestoreOptions {
  clean: boolean;
  noOwner: boolean;
  schemas: string[];
  tables: string[];
  jobs: number;
}

/** pg_restore's arguments: stops at the first error, so a failed restore can never read as success. */
export function pgRestoreArguments(dbname: string, options: RestoreOptions, path: string): string[] {
  return [
    '--exit-on-error',
    '--no-password',
    `--dbname=${dbname}`,
    ...(options.clean ? ['--clean', '--if-exists'] : []),
    ...(options.noOwner ? ['--no-owner', '--no-privileges'] : []),
    ...(options.jobs > 1 ? [`--jobs=${options.jobs}`] : []),
    ...options.schemas.map((s) => `--schema=${s}`),
    ...options.tables.map((t) => `--table=${t}`),
    path,
  ];
}

/** Runs pg_restore from a verified local file into the target; rejects with its stderr tail. */
export async function restoreArchive(
  pgRestore: string,
  target: PgConnection,
  path: string,
  options: RestoreOptions,
): Promise<{ warnings: string[] }> {
  const run = runPgTool(pgRestore, pgRestoreArguments(target.dbname, options, path), target);
  // pg_restore writes nothing on stdout with --dbname; its failure arrives through `done`.
  run.stdout.on('error', () => undefined).resume();
  await run.done;
  return { warnings: run.warnings() };
}
