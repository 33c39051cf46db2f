import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export type PgTool = 'pg_dump' | 'pg_dumpall' | 'pg_restore';

export interface ResolvedPgClient {
  /** Major of the client found (the server's, or the lowest installed above it). */
  major: number;
  /** Absolute path of the executable. */
  binary: string;
  /** What `<tool> --version` reports, e.g. "15.18"; absent when it could not be read. */
  version?: string;
}

export const DEFAULT_PG_BIN_DIR_TEMPLATE = '/usr/lib/postgresql/{major}/bin';
/** Separates the templates of a PG_BIN_DIR_TEMPLATE list, as in PATH. */
export const PG_BIN_DIR_TEMPLATE_SEPARATOR = ':';

/** The templates of a PG_BIN_DIR_TEMPLATE value (one, or several separated by `:`), in search order. */
export function parseBinDirTemplates(value: string): string[] {
  const templates = value
    .split(PG_BIN_DIR_TEMPLATE_SEPARATOR)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (!templates.length) throw new RangeError('PG_BIN_DIR_TEMPLATE names no folder');
  return templates;
}
/** pg_restore from this major on sends `SET transaction_timeout`, which older servers reject. */
const TRANSACTION_TIMEOUT_MAJOR = 17;
/** Highest major scanned for a newer client; far above any release today. */
const HIGHEST_MAJOR = 30;

/** No usable client for the server's major or any later one: the backup must not start. */
export class PgClientMissingError extends Error {
  constructor(
    readonly tool: PgTool,
    readonly serverMajor: number,
    lookedIn: string,
    /** What the client is for, when not a server of `serverMajor` (e.g. reading an archive). */
    purpose = `for PostgreSQL ${serverMajor}`,
  ) {
    super(`No ${tool} ${purpose}: install postgresql-client-${serverMajor} (looked in ${lookedIn} and above)`);
    this.name = 'PgClientMissingError';
  }
}

/**
 * The archive is read only by a pg_restore of 17 or later, which sets `transaction_timeout`, and
 * the target server predates it: no installable client helps (an older pg_restore cannot read it).
 */
export class PgRestoreTooNewError extends Error {
  constructor(pgRestoreMajor: number, archiveMajor: number, targetMajor: number) {
    super(
      `This archive (written by pg_dump ${archiveMajor}) is read only by pg_restore ${pgRestoreMajor} or newer, which cannot restore into PostgreSQL ${targetMajor} (it sets transaction_timeout, new in PostgreSQL ${TRANSACTION_TIMEOUT_MAJOR}): restore it into a PostgreSQL ${Math.max(archiveMajor, TRANSACTION_TIMEOUT_MAJOR)} or newer server`,
    );
    this.name = 'PgRestoreTooNewError';
  }
}

/** Major version from `server_version_num`: 160014 → 16, 90624 → 9. */
export function serverMajor(serverVersionNum: number): number {
  if (!Number.isInteger(serverVersionNum) || serverVersionNum <= 0) {
    throw new RangeError(`Not a server_version_num: ${serverVersionNum}`);
  }
  return Math.floor(serverVersionNum / 10_000);
}

/** Runs `<binary> --version` (no shell) and returns the version, e.g. "15.18" from "pg_dump (PostgreSQL) 15.18 (Debian …)". */
export async function readToolVersion(binary: string, timeoutMs = 10_000): Promise<string> {
  const { stdout } = await execFileAsync(binary, ['--version'], { timeout: timeoutMs });
  const match = /\(PostgreSQL\)\s+(\d+(?:\.\d+)*)/.exec(stdout) ?? /(\d+(?:\.\d+)+)/.exec(stdout);
  if (!match) throw new Error(`Cannot read a version from ${binary} --version: ${stdout.trim().slice(0, 200)}`);
  return match[1];
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Picks the pg_dump/pg_restore for a server: the same major when installed, else the
 * lowest newer one (a newer client can dump and restore older servers; an older one refuses).
 */
export class PgClientResolver {
  private readonly binDirTemplates: string[];

  /** `binDirTemplate`: one template with `{major}`, or several separated by `:`, searched in order. */
  constructor(options: { binDirTemplate?: string } = {}) {
    this.binDirTemplates = parseBinDirTemplates(options.binDirTemplate ?? DEFAULT_PG_BIN_DIR_TEMPLATE);
  }

  /** The folders searched for a major's tools, in order. */
  binDirsFor(major: number): string[] {
    return this.binDirTemplates.map((template) => template.replaceAll('{major}', String(major)));
  }

  /** The first executable `tool` of exactly `major` in the template list, if any. */
  private async find(tool: PgTool, major: number): Promise<string | undefined> {
    for (const dir of this.binDirsFor(major)) {
      const binary = resolvePath(dir, tool);
      if (await isExecutableFile(binary)) return binary;
    }
    return undefined;
  }

  private lookedIn(major: number): string {
    return this.binDirsFor(major).join(', ');
  }

  async resolve(tool: PgTool, serverVersionNum: number): Promise<ResolvedPgClient> {
    const wanted = serverMajor(serverVersionNum);
    for (let major = wanted; major <= Math.max(wanted, HIGHEST_MAJOR); major++) {
      const binary = await this.find(tool, major);
      if (!binary) continue;
      // The version is informative (it goes into the sidecar); a failure to read it is not fatal here.
      const version = await readToolVersion(binary).catch(() => undefined);
      return version === undefined ? { major, binary } : { major, binary, version };
    }
    throw new PgClientMissingError(tool, wanted, this.lookedIn(wanted));
  }

  /** Every major with `tool` installed (in any folder of the list), ascending. */
  async installedMajors(tool: PgTool): Promise<number[]> {
    const majors: number[] = [];
    for (let major = 9; major <= HIGHEST_MAJOR; major++) {
      if (await this.find(tool, major)) majors.push(major);
    }
    return majors;
  }

  /**
   * pg_restore for restoring an archive written by pg_dump `archiveMajor` into a server. Only a
   * pg_restore at least as new as the archive reads it (an older one stops at `unsupported version
   * (1.16) in file header`). Among those: the server's major; else the newest older one (newer
   * servers accept the SQL older clients send; `fallback` says so); else the lowest newer one. A
   * pg_restore of 17 or later sets `transaction_timeout`, which servers before 17 reject, so it is
   * never used for those. When nothing fits this fails before anything is fetched or touched,
   * naming the client to install.
   */
  async resolveForRestore(
    targetVersionNum: number,
    archiveMajor: number,
  ): Promise<ResolvedPgClient & { fallback: boolean }> {
    const target = serverMajor(targetVersionNum);
    const readers = (await this.installedMajors('pg_restore')).filter((major) => major >= archiveMajor);
    const usable = readers.filter(
      (major) => major <= target || target >= TRANSACTION_TIMEOUT_MAJOR || major < TRANSACTION_TIMEOUT_MAJOR,
    );
    const major =
      usable.find((m) => m === target) ?? usable.filter((m) => m < target).pop() ?? usable.find((m) => m > target);
    if (major === undefined) {
      if (readers.length && archiveMajor > target) throw new PgRestoreTooNewError(readers[0], archiveMajor, target);
      if (readers.length) {
        throw new PgClientMissingError(
          'pg_restore',
          target,
          this.lookedIn(target),
          `for PostgreSQL ${target} (pg_restore ${readers.join(', ')} sets transaction_timeout, which PostgreSQL ${target} lacks)`,
        );
      }
      if (archiveMajor >= target) {
        throw new PgClientMissingError(
          'pg_restore',
          archiveMajor,
          this.lookedIn(archiveMajor),
          `${archiveMajor} or newer to read this archive (written by pg_dump ${archiveMajor})`,
        );
      }
      throw new PgClientMissingError('pg_restore', target, this.lookedIn(target));
    }
    const binary = (await this.find('pg_restore', major))!;
    const version = await readToolVersion(binary).catch(() => undefined);
    return { major, binary, ...(version ? { version } : {}), fallback: major < target };
  }
}
