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
/** Highest major scanned for a newer client; far above any release today. */
const HIGHEST_MAJOR = 30;

/** No usable client for the server's major or any later one: the backup must not start. */
export class PgClientMissingError extends Error {
  constructor(
    readonly tool: PgTool,
    readonly serverMajor: number,
    lookedIn: string,
  ) {
    super(
      `No ${tool} for PostgreSQL ${serverMajor}: install postgresql-client-${serverMajor} (looked in ${lookedIn} and above)`,
    );
    this.name = 'PgClientMissingError';
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
  private readonly binDirTemplate: string;

  constructor(options: { binDirTemplate?: string } = {}) {
    this.binDirTemplate = options.binDirTemplate ?? DEFAULT_PG_BIN_DIR_TEMPLATE;
  }

  binDirFor(major: number): string {
    return this.binDirTemplate.replaceAll('{major}', String(major));
  }

  async resolve(tool: PgTool, serverVersionNum: number): Promise<ResolvedPgClient> {
    const wanted = serverMajor(serverVersionNum);
    for (let major = wanted; major <= Math.max(wanted, HIGHEST_MAJOR); major++) {
      const binary = resolvePath(this.binDirFor(major), tool);
      if (!(await isExecutableFile(binary))) continue;
      // The version is informative (it goes into the sidecar); a failure to read it is not fatal here.
      const version = await readToolVersion(binary).catch(() => undefined);
      return version === undefined ? { major, binary } : { major, binary, version };
    }
    throw new PgClientMissingError(tool, wanted, this.binDirFor(wanted));
  }

  /** Every major with `tool` installed, ascending. */
  async installedMajors(tool: PgTool): Promise<number[]> {
    const majors: number[] = [];
    for (let major = 9; major <= HIGHEST_MAJOR; major++) {
      if (await isExecutableFile(resolvePath(this.binDirFor(major), tool))) majors.push(major);
    }
    return majors;
  }

  /**
   * pg_restore for restoring an archive written by pg_dump `archiveMajor` into a server:
   * the server's major or the lowest above it, as for pg_dump; failing those, the newest
   * installed one that can still read the archive (pg_restore replays SQL, which newer servers
   * accept from older clients). `fallback` says when that last rule was used.
   */
  async resolveForRestore(
    targetVersionNum: number,
    archiveMajor: number,
  ): Promise<ResolvedPgClient & { fallback: boolean }> {
    const target = serverMajor(targetVersionNum);
    const usable = (await this.installedMajors('pg_restore')).filter((major) => major >= archiveMajor);
    const major = usable.find((m) => m >= target) ?? usable.filter((m) => m < target).pop();
    if (major === undefined) {
      throw new PgClientMissingError('pg_restore', Math.max(target, archiveMajor), this.binDirFor(target));
    }
    const binary = resolvePath(this.binDirFor(major), 'pg_restore');
    const version = await readToolVersion(binary).catch(() => undefined);
    return { major, binary, ...(version ? { version } : {}), fallback: major < target };
  }
}
