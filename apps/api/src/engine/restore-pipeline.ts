import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decryptStream } from './age';
import { DigestStream } from './digest';
import { dbnameConninfo, type PgConnection } from './pg-connection';
import { runPgTool } from './pg-tool-process';
import type { ObjectStore } from './storage/object-store';
import { createOwnedTempDir, freeBytes } from './temp-dirs';
import { formatBytesExact } from '../common/format/bytes';

export interface StoredArchive {
  store: ObjectStore;
  key: string;
  /** SHA-256 of the stored object and of the archive inside it (equal when not encrypted). */
  objectSha256: string;
  sha256: string;
  /** The tenant's age identity, when the object is encrypted. */
  identity: string | null;
  /** The archive's size (decrypted) as the backup recorded it, when known: the room its temporary copy needs. */
  bytes?: number | null;
}

/** RESTORE_TEMP_DIR has no room for the verified copy of an archive. */
export class TempSpaceError extends Error {
  constructor(
    readonly folder: string,
    readonly neededBytes: number | null,
    readonly freeBytes: number | null,
    /** How much of the copy was written when the disk filled (what we know when no size was recorded). */
    writtenBytes = 0,
  ) {
    const needs =
      neededBytes === null
        ? `more than the ${formatBytesExact(writtenBytes)} written before the disk filled`
        : formatBytesExact(neededBytes);
    const free = freeBytes === null ? '' : `; ${formatBytesExact(freeBytes)} free there`;
    super(
      `No space left in RESTORE_TEMP_DIR (${folder}): the verified copy of the archive needs ${needs}${free}. ` +
        'Free space there or set RESTORE_TEMP_DIR to a folder with more room.',
    );
    this.name = 'TempSpaceError';
  }
}

const isNoSpace = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === 'ENOSPC';

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
  const needed = archive.bytes ?? null;
  let written = 0;
  const noSpace = async () => new TempSpaceError(tempRoot, needed, await freeBytes(tempRoot), written);
  // Said before anything is downloaded when the backup recorded the archive's size.
  const free = needed === null ? null : await freeBytes(tempRoot);
  if (needed !== null && free !== null && free < needed) throw new TempSpaceError(tempRoot, needed, free);
  // Named for this process, so a crash's leftovers are removed by the next sweep (temp-dirs.ts).
  const dir = await createOwnedTempDir(tempRoot).catch(async (error: unknown) => {
    throw isNoSpace(error) ? await noSpace() : error;
  });
  const path = join(dir.path, 'archive.dump');
  const dispose = dir.dispose;
  let diskFull = false;
  try {
    const source = await archive.store.get(archive.key);
    const objectDigest = new DigestStream();
    const dumpDigest = new DigestStream();
    const file = createWriteStream(path, { mode: 0o600 });
    // A full disk shows first here, whichever stage the pipeline reports.
    file.on('error', (error) => {
      if (isNoSpace(error)) diskFull = true;
      written = file.bytesWritten;
    });
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
        if (diskFull || isNoSpace(error)) throw await noSpace();
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
    throw diskFull || isNoSpace(error) ? await noSpace() : error;
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
  /** --no-owner: objects belong to the restoring user instead of their recorded owners. */
  noOwner: boolean;
  /** --no-privileges: no GRANT/REVOKE (the recorded privileges are not restored). */
  noPrivileges: boolean;
  /** --single-transaction: all or nothing (and then one connection: no --jobs). */
  singleTransaction: boolean;
  /**
   * A pg_restore list file (`--use-list`) naming the entries to restore (see restore-selection.ts);
   * without it, the whole archive.
   */
  listFile?: string;
  jobs: number;
}

/** pg_restore's arguments: stops at the first error, so a failed restore can never read as success. */
export function pgRestoreArguments(dbname: string, options: RestoreOptions, path: string): string[] {
  return [
    '--exit-on-error',
    '--no-password',
    // The name as a quoted value: a name with `=` would otherwise be read as connection options.
    `--dbname=${dbnameConninfo(dbname)}`,
    ...(options.clean ? ['--clean', '--if-exists'] : []),
    ...(options.noOwner ? ['--no-owner'] : []),
    ...(options.noPrivileges ? ['--no-privileges'] : []),
    ...(options.singleTransaction ? ['--single-transaction'] : options.jobs > 1 ? [`--jobs=${options.jobs}`] : []),
    ...(options.listFile ? [`--use-list=${options.listFile}`] : []),
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
