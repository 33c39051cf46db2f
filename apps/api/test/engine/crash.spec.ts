import { startApiProcess, startPostgres, type ApiProcess, type RunningPostgres } from '@dumpstation/testing';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { processCaller } from '../helpers/auth';
import { createTestDatabase } from '../helpers/database';
import { uniqueWebhook, waitForCode, deliveredCodes } from '../helpers/discord';
import { databaseFields, restoreTarget, seededDatabase, sql } from '../helpers/engine';
import { createBucket, s3Settings } from '../helpers/s3';

/**
 * A table whose index takes ~20 s to build (a function that sleeps 20 ms per row) but whose
 * dump is tiny: pg_restore spends its time in one CREATE INDEX, the statement a killed client
 * leaves running on the server to its end (and commit) unless it is cancelled. Built while the
 * function is still quick; pg_dump writes the slow definition.
 */
const SLOW_INDEX_SEED = `
  CREATE FUNCTION slow_key(i int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN i; END $$;
  CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL);
  INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 1000) g;
  CREATE INDEX items_slow ON items (slow_key(id));
  CREATE OR REPLACE FUNCTION slow_key(i int) RETURNS int LANGUAGE plpgsql IMMUTABLE
    AS $$ BEGIN PERFORM pg_sleep(0.02); RETURN i; END $$;
`;

interface Proc {
  pid: number;
  comm: string;
  ppid: number;
  state: string;
}

function processes(): Proc[] {
  const found: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      found.push({
        pid: Number(entry),
        comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        state: rest[0],
        ppid: Number(rest[1]),
      });
    } catch {
      // ended while we looked
    }
  }
  return found;
}

/** `tool` processes started by `parent`, with the parallel workers they forked. */
function toolsOf(parent: number, tool: string): number[] {
  const all = processes();
  const direct = all.filter((p) => p.ppid === parent && p.comm === tool).map((p) => p.pid);
  return [...direct, ...all.filter((p) => direct.includes(p.ppid) && p.comm === tool).map((p) => p.pid)];
}

/** Still running (a zombie nobody reaped runs nothing). */
const running = (pid: number) => processes().some((p) => p.pid === pid && p.state !== 'Z');

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** SIGKILL: no shutdown hook runs, as in an OOM kill or `docker kill`. */
async function killHard(api: ApiProcess): Promise<void> {
  const exited = new Promise((resolve) => api.process.once('exit', resolve));
  api.process.kill('SIGKILL');
  await exited;
}

const leftovers = async (dir: string) => (await readdir(dir)).filter((name) => name.startsWith('dumpstation-restore-'));

// The API process SIGKILLed while pg_restore (or pg_dump, on the backup's worker thread) runs:
// the tool dies with it and cancels its statement, so nothing more reaches the target; the next
// boot removes the temporary archive copy and records the job as interrupted, saying what state
// the target is in.
describe('the API process killed mid-job', () => {
  const rootHook = uniqueWebhook();
  const encryptionKey = randomBytes(32).toString('base64');
  let pg: RunningPostgres;
  let databaseUrl: string;
  let tempDir: string;
  let storageRoot: string;
  let api: ApiProcess | undefined;
  let token = '';

  const boot = async () =>
    startApiProcess({
      databaseUrl,
      env: {
        APP_ENCRYPTION_KEY: encryptionKey,
        DISCORD_API_URL: process.env.TEST_DISCORD_API,
        SYSTEM_USERNAME: 'root',
        SYSTEM_DISCORD_WEBHOOK_URL: rootHook.url,
        STORAGE_LOCAL_ROOT: storageRoot,
        RESTORE_TEMP_DIR: tempDir,
        RESTORE_JOBS: '2',
        LOG_LEVEL: 'warn',
      },
    });

  const call = processCaller(
    () => api!,
    () => token,
  );

  async function finished(path: string): Promise<Record<string, unknown>> {
    let job: Record<string, unknown> = {};
    await until(async () => {
      job = await call('GET', path);
      return job.status === 'success' || job.status === 'failed';
    }, `${path} to finish`);
    return job;
  }

  beforeAll(async () => {
    [pg, databaseUrl, tempDir, storageRoot] = await Promise.all([
      startPostgres({ major: 15 }),
      createTestDatabase(),
      mkdtemp(join(tmpdir(), 'crash-temp-')),
      mkdtemp(join(tmpdir(), 'crash-storage-')),
    ]);
    api = await boot();
    const known = await deliveredCodes(rootHook.path, 'root');
    await call('POST', '/auth/login', { username: 'root' });
    const otp = await waitForCode(rootHook.path, 'root', known);
    token = (await call('POST', '/auth/verify', { username: 'root', otp })).access_token as string;
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
    await pg?.stop();
    await rm(tempDir, { recursive: true, force: true });
    await rm(storageRoot, { recursive: true, force: true });
  });

  it('during a restore: pg_restore dies with it, the next boot removes the temp copy and fails the job, saying the database it created may be partly restored', async () => {
    const source = await seededDatabase(pg, SLOW_INDEX_SEED);
    const storage = await call('POST', '/storage', { name: 'store', ...s3Settings(await createBucket('crash')) });
    const database = await call('POST', '/databases', {
      name: 'slow-index',
      ...databaseFields(pg, source.dbname),
      storage_id: storage.id,
    });
    const started = await call('POST', `/databases/${database.id}/backup`);
    expect((await finished(`/backups/${started.id}`)).status).toBe('success');

    const restore = await call('POST', `/backups/${started.id}/restore`, {
      ...restoreTarget(pg, 'crash_target'),
      create: true,
    });
    const target = pg.urlFor('crash_target');
    const buildingIndex = async () =>
      (
        await sql(
          pg.adminUrl,
          `SELECT 1 FROM pg_stat_activity WHERE datname = 'crash_target' AND state = 'active' AND query ILIKE 'CREATE INDEX%'`,
        )
      ).length > 0;
    await until(buildingIndex, 'pg_restore to build the slow index');
    const tools = toolsOf(api!.process.pid!, 'pg_restore');
    expect(tools.length).toBeGreaterThan(0);
    expect(await leftovers(tempDir)).toHaveLength(1);

    await killHard(api!);
    api = undefined;
    // Dead within moments, and its statement cancelled: nothing more is applied to the target.
    await until(() => !tools.some(running), 'pg_restore to die with the API', 5_000);
    await until(async () => !(await buildingIndex()), 'the CREATE INDEX to be cancelled', 5_000);
    // A crash leaves the copy; only a sweep removes it.
    expect(await leftovers(tempDir)).toHaveLength(1);

    api = await boot();
    expect(await leftovers(tempDir)).toEqual([]);
    const outcome = await finished(`/restores/${restore.id}`);
    expect(outcome.status).toBe('failed');
    // Into a database it created (strategy `direct`): that database holds part of the backup.
    expect(outcome).toMatchObject({ strategy: 'direct' });
    expect(outcome.error_message).toMatch(/^Interrupted: .*the database this restore created may be partly restored/);
    // And that is what it is: the rows came, the index never will.
    const [state] = await sql(
      target,
      `SELECT (SELECT count(*) FROM items)::int AS rows, to_regclass('public.items_slow') IS NOT NULL AS indexed`,
    );
    expect(state).toEqual({ rows: 1000, indexed: false });
    expect(toolsOf(api.process.pid!, 'pg_restore')).toEqual([]);
  }, 90_000);

  it("during a backup: pg_dump (on the backup's worker thread) dies with it, and the job is failed at the next boot", async () => {
    const source = await seededDatabase(pg);
    const storage = await call('POST', '/storage', { name: 'store-2', ...s3Settings(await createBucket('crash2')) });
    const database = await call('POST', '/databases', {
      name: 'locked',
      ...databaseFields(pg, source.dbname),
      storage_id: storage.id,
    });
    // pg_dump waits for a lock held here: a backup that runs as long as the test wants.
    const blocker = new Client({ connectionString: source.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN; LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
      const backup = await call('POST', `/databases/${database.id}/backup`);
      const waitingDumps = async () =>
        Number(
          (
            await sql(
              pg.adminUrl,
              `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query ILIKE 'LOCK TABLE%ACCESS SHARE%'`,
              [source.dbname],
            )
          )[0].n,
        );
      await until(async () => (await waitingDumps()) > 0, 'pg_dump to wait for the lock');
      const tools = toolsOf(api!.process.pid!, 'pg_dump');
      expect(tools.length).toBe(1);

      await killHard(api!);
      api = undefined;
      await until(() => !tools.some(running), 'pg_dump to die with the API', 5_000);
      await until(async () => (await waitingDumps()) === 0, "pg_dump's session to end", 5_000);

      api = await boot();
      const outcome = await finished(`/backups/${backup.id}`);
      expect(outcome).toMatchObject({ status: 'failed', error_message: expect.stringMatching(/^Interrupted: /) });
    } finally {
      await blocker.end();
    }
  }, 60_000);
});
