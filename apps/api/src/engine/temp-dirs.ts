import { hostname } from 'node:os';
import { mkdtemp, readdir, readFile, rm, stat, statfs, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProvablyGone, processIdentity } from './process-identity';

/**
 * Private temporary folders (the verified copy of an archive before pg_restore reads it) that a
 * crash cannot leave behind for good. Each is named `dumpstation-restore-<pid>-<random>` and
 * holds an `owner` file naming the process that made it; while that process lives it touches
 * the folder every 15 s. Any process sweeping the parent folder (at boot, then every minute)
 * removes a folder whose owner is provably gone (same machine and pid namespace, pid gone or
 * reused) at once, and one untouched for 90 s (owner elsewhere: another container or host
 * sharing the folder) after that. A live process's folder is never removed.
 */
export const TEMP_DIR_PREFIX = 'dumpstation-restore-';
const OWNER_FILE = 'owner';
const HEARTBEAT_MS = 15_000;
export const TEMP_DIR_ABANDONED_AFTER_MS = 90_000;

/** The folders this process owns now, touched by the heartbeat. */
const owned = new Set<string>();
let heartbeat: NodeJS.Timeout | undefined;

function touchOwned(): void {
  const now = new Date();
  for (const dir of owned) void utimes(dir, now, now).catch(() => undefined);
}

export interface OwnedTempDir {
  path: string;
  /** Removes the folder and everything in it. */
  dispose(): Promise<void>;
}

/** A new private folder under `root` (mode 0700, as mkdtemp makes it), recorded as this process's. */
export async function createOwnedTempDir(root: string): Promise<OwnedTempDir> {
  const path = await mkdtemp(join(root, `${TEMP_DIR_PREFIX}${process.pid}-`));
  owned.add(path);
  if (!heartbeat) {
    heartbeat = setInterval(touchOwned, HEARTBEAT_MS);
    heartbeat.unref();
  }
  const dispose = async () => {
    owned.delete(path);
    if (owned.size === 0 && heartbeat) {
      clearInterval(heartbeat);
      heartbeat = undefined;
    }
    await rm(path, { recursive: true, force: true });
  };
  try {
    const owner = { identity: processIdentity(), hostname: hostname(), pid: process.pid, created_at: new Date() };
    await writeFile(join(path, OWNER_FILE), `${JSON.stringify(owner)}\n`, { mode: 0o600 });
  } catch (error) {
    await dispose();
    throw error;
  }
  return { path, dispose };
}

/** Bytes an unprivileged process may still write under `dir`, or null when the system does not say. */
export async function freeBytes(dir: string): Promise<number | null> {
  try {
    const stats = await statfs(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}

/**
 * Removes what dead processes left under `root` (see the top of this file); returns the folders
 * removed. Only names with our prefix are looked at, so a shared /tmp is safe.
 */
export async function sweepAbandonedTempDirs(root: string, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(TEMP_DIR_PREFIX)) continue;
    const path = join(root, name);
    if (owned.has(path)) continue;
    try {
      const info = await stat(path);
      if (!info.isDirectory()) continue;
      const identity = await readFile(join(path, OWNER_FILE), 'utf8').then(
        (text) => (JSON.parse(text) as { identity?: string | null }).identity ?? null,
        // Missing (being created right now, or a crash in between) or unreadable: the heartbeat decides.
        () => null,
      );
      if (isProvablyGone(identity) || info.mtimeMs < now - TEMP_DIR_ABANDONED_AFTER_MS) {
        await rm(path, { recursive: true, force: true });
        removed.push(path);
      }
    } catch {
      // Removed by another sweeper meanwhile, or not ours to touch.
    }
  }
  return removed;
}
