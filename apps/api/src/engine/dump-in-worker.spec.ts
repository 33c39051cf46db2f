import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupStageError } from './backup-pipeline';
import { dumpInWorker, type DumpJob } from './dump-in-worker';

// A stand-in for pg_dump (the real one runs in test/engine): a script that writes what we tell it.
async function fakePgDump(dir: string, body: string): Promise<string> {
  const path = join(dir, 'pg_dump');
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

describe('dumpInWorker (dumpToStore on its own thread)', () => {
  let dir: string;
  let root: string;
  const job = (pgDump: string): DumpJob => ({
    conn: { host: '127.0.0.1', port: 1, dbname: 'app', user: 'app', password: 'secret', sslmode: 'disable' },
    pgDump,
    options: {
      includeSchemas: [],
      excludeSchemas: [],
      includeTables: [],
      excludeTables: [],
      compression: { algorithm: 'gzip', level: 6 },
    },
    recipients: [],
    store: { kind: 'local', root },
    key: 'app/backup.dump',
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dump-worker-'));
    root = join(dir, 'store');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('stores the output and reports its size, checksum and progress back to the caller', async () => {
    const pgDump = await fakePgDump(dir, 'head -c 3000000 /dev/zero | tr "\\000" "x"');
    const progress: number[] = [];

    const result = await dumpInWorker(job(pgDump), { onProgress: (bytes) => progress.push(bytes) });

    const stored = await readFile(join(root, 'app/backup.dump'));
    expect(stored.length).toBe(3_000_000);
    expect(result).toMatchObject({ dumpBytes: 3_000_000, objectBytes: 3_000_000 });
    expect(result.sha256).toBe(createHash('sha256').update(stored).digest('hex'));
    expect(result.objectSha256).toBe(result.sha256);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((bytes) => bytes > 0 && bytes <= 3_000_000)).toBe(true);
  });

  it('brings the failing stage and its message back across the thread', async () => {
    const pgDump = await fakePgDump(
      dir,
      'printf partial; echo "pg_dump: error: server closed the connection" >&2; exit 1',
    );

    const error = await dumpInWorker(job(pgDump)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BackupStageError);
    expect((error as BackupStageError).stage).toBe('pg_dump');
    expect((error as Error).message).toBe(
      'pg_dump failed: pg_dump exited with code 1: pg_dump: error: server closed the connection',
    );
    expect(await filesUnder(root)).toEqual([]);
  });

  it('stops when the caller aborts: rejected, nothing stored', async () => {
    const pgDump = await fakePgDump(dir, 'while true; do head -c 65536 /dev/zero; sleep 0.05; done');
    const controller = new AbortController();

    const outcome = dumpInWorker(job(pgDump), {
      signal: controller.signal,
      onProgress: () => controller.abort(new Error('shutting down')),
    }).catch((e: unknown) => e);

    expect(await outcome).toBeInstanceOf(Error);
    expect(await filesUnder(root)).toEqual([]);
  });
});
