import { startApiProcess, startPostgres, type ApiProcess, type RunningPostgres } from '@dumpstation/testing';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, request as httpRequest, type ServerResponse } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { processCaller } from '../helpers/auth';
import { deliveredCodes, discordCalls, uniqueWebhook, waitForCode } from '../helpers/discord';
import { databaseFields, seededDatabase, sql } from '../helpers/engine';
import { beginUpload, createBucket, objectKeys, s3Settings, unfinishedUploads } from '../helpers/s3';

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP server that accepts connections and never answers: a hung storage endpoint. */
async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A proxy in front of the run's s3rver that, while `hold` is set, never answers part uploads:
 * a backup then sits mid-multipart-upload as long as the test wants.
 */
async function partHoldingProxy(): Promise<{ url: string; release: () => void; close: () => Promise<void> }> {
  const target = new URL(process.env.TEST_S3_ENDPOINT!);
  const held: ServerResponse[] = [];
  let hold = true;
  const server = createHttpServer((req, res) => {
    if (hold && req.method === 'PUT' && /[?&]partNumber=/.test(req.url ?? '')) {
      held.push(res);
      req.resume();
      return;
    }
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    release: () => {
      hold = false;
      for (const res of held.splice(0)) res.destroy();
    },
    close: async () => {
      hold = false;
      for (const res of held.splice(0)) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** ~24 MB of hex text: a dump above the first 8 MiB part, so the backup uploads in parts. */
const BIG_SEED = `
  CREATE TABLE blobs (id int PRIMARY KEY, body text NOT NULL);
  INSERT INTO blobs SELECT g, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text) FROM generate_series(1, 250000) g;
`;

// The defects issue 12 found by killing and starving processes: every job ends with the right
// status, says what stopped it, and tells (finish entry, Discord) like any other failure.
describe('jobs whose process, storage or service database fails under them', () => {
  const rootHook = uniqueWebhook();
  const encryptionKey = randomBytes(32).toString('base64');
  let source: RunningPostgres;
  let service: RunningPostgres;
  let serviceDir: string;
  let databaseUrl: string;
  let api: ApiProcess | undefined;
  let token = '';

  const boot = (env: Record<string, string> = {}) =>
    startApiProcess({
      databaseUrl,
      env: {
        APP_ENCRYPTION_KEY: encryptionKey,
        DISCORD_API_URL: process.env.TEST_DISCORD_API,
        SYSTEM_USERNAME: 'root',
        SYSTEM_DISCORD_WEBHOOK_URL: rootHook.url,
        LOG_LEVEL: 'warn',
        JOB_HEARTBEAT_MS: '500',
        ...env,
      },
    });

  const call = processCaller(
    () => api!,
    () => token,
  );

  const status = async (id: string) =>
    (await sql(databaseUrl, 'SELECT status FROM backups WHERE id = $1', [id]))[0]?.status;
  const backupRow = async (id: string) => (await sql(databaseUrl, 'SELECT * FROM backups WHERE id = $1', [id]))[0];
  const finishEntries = async (id: string) =>
    sql(databaseUrl, `SELECT outcome, details FROM activity_logs WHERE event = 'backup.finish' AND resource_id = $1`, [
      id,
    ]);

  /** A database whose backup waits (pg_dump blocked on a lock) until `release()`. */
  async function blockedDatabase(name: string, storage: Record<string, unknown>, notificationId?: string) {
    const seeded = await seededDatabase(source);
    const database = await call('POST', '/databases', {
      name,
      ...databaseFields(source, seeded.dbname),
      storage_id: storage.id,
      ...(notificationId ? { notification_id: notificationId } : {}),
    });
    const blocker = new Client({ connectionString: seeded.url });
    await blocker.connect();
    await blocker.query('BEGIN; LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
    const dumpWaiting = async () =>
      (
        await sql(
          source.adminUrl,
          `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query ILIKE 'LOCK TABLE%ACCESS SHARE%'`,
          [seeded.dbname],
        )
      ).length > 0;
    return {
      id: database.id as string,
      dumpWaiting,
      release: async () => {
        await blocker.query('ROLLBACK').catch(() => undefined);
        await blocker.end().catch(() => undefined);
      },
    };
  }

  async function signIn(): Promise<void> {
    token = '';
    const known = await deliveredCodes(rootHook.path, 'root');
    await call('POST', '/auth/login', { username: 'root' });
    const otp = await waitForCode(rootHook.path, 'root', known);
    token = (await call('POST', '/auth/verify', { username: 'root', otp })).access_token as string;
  }

  beforeAll(async () => {
    serviceDir = await mkdtemp(join(tmpdir(), 'job-recovery-service-'));
    [source, service] = await Promise.all([startPostgres({ major: 15 }), startPostgres({ dataDir: serviceDir })]);
    databaseUrl = await service.createDatabase();
    api = await boot();
    await signIn();
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
    await source?.stop();
    await service?.stop();
    await rm(serviceDir, { recursive: true, force: true });
  });

  it('the service database unreachable when a backup finishes: the outcome is recorded once it is back (not `running` forever)', async () => {
    const bucket = await createBucket('svcdown');
    const storage = await call('POST', '/storage', { name: 'svcdown', ...s3Settings(bucket) });
    const database = await blockedDatabase('svcdown', storage);
    try {
      const backup = await call('POST', `/databases/${database.id}/backup`);
      await until(database.dumpWaiting, 'pg_dump to wait for the lock');
      await service.stop();
      await database.release();
      // The dump completes into the bucket while the outcome cannot be written.
      await until(async () => (await objectKeys(bucket)).some((key) => key.endsWith('.json')), 'the sidecar upload');
      await sleep(2_000);
      service = await startPostgres({ dataDir: serviceDir, port: service.port, password: service.password });
      await until(
        async () => (await status(backup.id as string)) === 'success',
        'the backup to be recorded as success',
      );
      // The finish entry is written right after the outcome: wait for it rather than race it.
      await until(async () => (await finishEntries(backup.id as string)).length > 0, 'the finish entry');
      expect(await finishEntries(backup.id as string)).toEqual([expect.objectContaining({ outcome: 'success' })]);
    } finally {
      await database.release();
    }
  }, 60_000);

  it('SIGKILL during a backup: another process fails it within the heartbeat timeout, with a finish entry and a notification', async () => {
    const hook = uniqueWebhook();
    const notification = await call('POST', '/notifications', { name: 'ops-kill', discord_webhook_url: hook.url });
    const storage = await call('POST', '/storage', { name: 'killed', ...s3Settings(await createBucket('killed')) });
    const database = await blockedDatabase('killed', storage, notification.id as string);
    let other: ApiProcess | undefined;
    try {
      const backup = await call('POST', `/databases/${database.id}/backup`);
      await until(database.dumpWaiting, 'pg_dump to wait for the lock');
      // Started once the backup runs, so that it is surely the killed process's (any worker may take a job).
      other = await boot();
      const exited = new Promise((resolve) => api!.process.once('exit', resolve));
      api!.process.kill('SIGKILL');
      await exited;
      const killedAt = Date.now();
      // The surviving process notices: the dead one is provably gone on this machine, or its heartbeat stopped.
      await until(async () => (await status(backup.id as string)) === 'failed', 'the backup to be failed', 10_000);
      expect(Date.now() - killedAt).toBeLessThan(6 * 500 + 2_000);
      expect((await backupRow(backup.id as string)).error_message).toMatch(/^Interrupted: /);
      await until(async () => (await finishEntries(backup.id as string)).length > 0, 'the finish entry', 5_000);
      expect(await finishEntries(backup.id as string)).toEqual([
        expect.objectContaining({
          outcome: 'failure',
          details: expect.objectContaining({ error: expect.stringMatching(/^Interrupted: /) }),
        }),
      ]);
      await until(
        async () =>
          (await discordCalls()).some((c) => c.path.startsWith(hook.path) && JSON.stringify(c.body).includes('failed')),
        'the failure notification',
        5_000,
      );
    } finally {
      await database.release();
      api = other;
    }
  }, 60_000);

  it("SIGKILL during a scheduled backup with retries: the lost attempt is failed, retried per the database's retry setting and succeeds; no upload remains; the next slot runs", async () => {
    const bucket = await createBucket('kill-retry');
    const storage = await call('POST', '/storage', { name: 'kill-retry', ...s3Settings(bucket) });
    const database = await blockedDatabase('kill-retry', storage);
    const scheduling = { SCHEDULE_ALLOW_SECONDS: 'true', SCHEDULER_POLL_MS: '200', JOB_POLL_SECONDS: '0.5' };
    await api!.stop();
    api = await boot(scheduling);
    await signIn();
    let other: ApiProcess | undefined;
    try {
      await call('PATCH', `/databases/${database.id}`, {
        schedule: '*/4 * * * * *',
        retry: { attempts: 1, delay_seconds: 1 },
      });
      const running = async () =>
        (
          await sql(databaseUrl, `SELECT * FROM backups WHERE database_id = $1 AND status = 'running'`, [database.id])
        )[0];
      await until(async () => Boolean(await running()) && (await database.dumpWaiting()), 'a scheduled backup to run');
      const lost = await running();
      other = await boot(scheduling);
      const exited = new Promise((resolve) => api!.process.once('exit', resolve));
      api!.process.kill('SIGKILL');
      await exited;
      const killedAt = Date.now();
      api = other;
      other = undefined;
      await database.release();

      await until(async () => (await status(lost.id as string)) === 'failed', 'the lost attempt to be failed', 10_000);
      expect(Date.now() - killedAt).toBeLessThan(6 * 500 + 2_000);
      await until(
        async () =>
          /; it will be retried \(attempt 2\)$/.test(String((await backupRow(lost.id as string)).error_message)),
        'the lost attempt to say it is retried',
        5_000,
      );
      expect((await backupRow(lost.id as string)).error_message).toMatch(/^Interrupted: /);
      // The retry: its own row, attempt 2, pointing at the lost one; it succeeds.
      await until(
        async () =>
          (await sql(databaseUrl, `SELECT status FROM backups WHERE retry_of_id = $1`, [lost.id]))[0]?.status ===
          'success',
        'the retry to succeed',
        20_000,
      );
      const [retry] = await sql(databaseUrl, `SELECT * FROM backups WHERE retry_of_id = $1`, [lost.id]);
      expect(retry).toEqual(expect.objectContaining({ attempt: 2, trigger: 'scheduled', status: 'success' }));
      const answered = await call('GET', `/backups/${retry.id as string}`);
      expect(answered).toEqual(expect.objectContaining({ attempt: 2, retry_of_id: lost.id }));
      // The next slot after the kill runs (on the surviving process).
      await until(
        async () =>
          (
            await sql(
              databaseUrl,
              `SELECT 1 FROM backups WHERE database_id = $1 AND scheduled_for > $2 AND status = 'success'`,
              [database.id, new Date(killedAt)],
            )
          ).length > 0,
        'a later slot to succeed',
        20_000,
      );
      expect(await unfinishedUploads(bucket)).toBe(0);
      await call('PATCH', `/databases/${database.id}`, { schedule: null });
    } finally {
      await database.release();
      if (other) api = other;
    }
  }, 90_000);

  it('SIGKILL mid-multipart-upload: the upload id is on the job, and whoever fails the job aborts the upload', async () => {
    const bucket = await createBucket('killed-mp');
    const proxy = await partHoldingProxy();
    let other: ApiProcess | undefined;
    try {
      const storage = await call('POST', '/storage', { name: 'killed-mp', ...s3Settings(bucket), endpoint: proxy.url });
      const seeded = await seededDatabase(source, BIG_SEED);
      const database = await call('POST', '/databases', {
        name: 'big',
        ...databaseFields(source, seeded.dbname),
        storage_id: storage.id,
      });
      const backup = await call('POST', `/databases/${database.id}/backup`);
      const id = backup.id as string;
      await until(async () => Boolean((await backupRow(id))?.upload_id), 'the upload id to be recorded', 30_000);
      expect(await unfinishedUploads(bucket)).toBe(1);
      // Started once the backup runs, so that it is surely the killed process's.
      other = await boot();
      const exited = new Promise((resolve) => api!.process.once('exit', resolve));
      api!.process.kill('SIGKILL');
      await exited;
      proxy.release();
      await until(async () => (await status(id)) === 'failed', 'the backup to be failed', 10_000);
      await until(async () => (await unfinishedUploads(bucket)) === 0, 'the upload to be aborted', 10_000);
      expect((await backupRow(id)).upload_id).toBeNull();
    } finally {
      api = other;
      await proxy.close();
    }
  }, 60_000);

  it("the periodic sweep aborts our unfinished uploads no live job owns (and no one else's); DELETE /backups/{id} aborts its own", async () => {
    const bucket = await createBucket('orphans');
    const storage = await call('POST', '/storage', { name: 'orphans', ...s3Settings(bucket), path_prefix: 'ours/' });
    const orphan = await beginUpload(bucket, 'ours/db/2026/12/backup-1.dump');
    const foreign = await beginUpload(bucket, 'ours/db/2026/12/notes.txt');
    const elsewhere = await beginUpload(bucket, 'theirs/db/2026/12/backup-2.dump');
    expect([orphan, foreign, elsewhere].every(Boolean)).toBe(true);
    await sleep(3_000); // older than the abandonment window when the sweep looks
    // The sweep runs one abandonment window (6 heartbeats: 3 s here) after start-up.
    await api?.stop();
    api = await boot();
    await signIn();
    await until(async () => (await unfinishedUploads(bucket)) === 2, 'the orphaned upload to be aborted', 15_000);

    // A finished backup that still records an upload (its failing process could not abort it).
    const seeded = await seededDatabase(source);
    const database = await call('POST', '/databases', {
      name: 'with-upload',
      ...databaseFields(source, seeded.dbname),
      storage_id: storage.id,
    });
    const backup = await call('POST', `/databases/${database.id}/backup`);
    await until(async () => (await status(backup.id as string)) === 'success', 'the backup');
    const { object_key: objectKey } = await backupRow(backup.id as string);
    const left = await beginUpload(bucket, `${objectKey as string}`);
    await sql(databaseUrl, `UPDATE backups SET status = 'failed', upload_id = $2 WHERE id = $1`, [backup.id, left]);
    expect(await unfinishedUploads(bucket)).toBe(3);
    await call('DELETE', `/backups/${backup.id}`);
    expect(await unfinishedUploads(bucket)).toBe(2);
  }, 60_000);

  it('a hung storage endpoint (accepts, never answers): the backup fails after BACKUP_STALL_MINUTES, saying it stalled', async () => {
    const hung = await silentServer();
    await api?.stop();
    api = await boot({ BACKUP_STALL_MINUTES: '0.05' });
    await signIn();
    try {
      const storage = await call('POST', '/storage', {
        name: 'hung',
        ...s3Settings('hung-bucket'),
        endpoint: hung.url,
      });
      const seeded = await seededDatabase(source);
      const database = await call('POST', '/databases', {
        name: 'hung',
        ...databaseFields(source, seeded.dbname),
        storage_id: storage.id,
      });
      const backup = await call('POST', `/databases/${database.id}/backup`);
      await until(async () => (await status(backup.id as string)) === 'failed', 'the stalled backup to fail', 20_000);
      expect((await backupRow(backup.id as string)).error_message).toMatch(/^Stalled: no bytes moved for 3 seconds/);
    } finally {
      await hung.close();
    }
  }, 60_000);

  it('SIGTERM: a backup that finishes within the grace period succeeds; one that does not is failed naming the shutdown', async () => {
    await api?.stop();
    api = await boot({ SHUTDOWN_TIMEOUT_MS: '6000' });
    await signIn();
    const storage = await call('POST', '/storage', { name: 'term', ...s3Settings(await createBucket('term')) });
    const quick = await blockedDatabase('term-quick', storage);
    const stuck = await blockedDatabase('term-stuck', storage);
    try {
      const finishing = await call('POST', `/databases/${quick.id}/backup`);
      const hanging = await call('POST', `/databases/${stuck.id}/backup`);
      await until(async () => (await quick.dumpWaiting()) && (await stuck.dumpWaiting()), 'both dumps to wait');
      const stopped = api!.stop();
      await sleep(500);
      await quick.release();
      expect(await stopped).toBe(0);
      api = undefined;
      expect(await status(finishing.id as string)).toBe('success');
      const failed = await backupRow(hanging.id as string);
      expect(failed.status).toBe('failed');
      expect(failed.error_message).toMatch(/^Interrupted: the API process was stopped \(SIGTERM\)/);
    } finally {
      await quick.release();
      await stuck.release();
    }
  }, 60_000);

  it('a restart keeps queued backups: one still waiting at SIGTERM runs after the restart, not failed as interrupted', async () => {
    api = await boot({ SHUTDOWN_TIMEOUT_MS: '2000', MAX_CONCURRENT_BACKUPS: '1' });
    await signIn();
    const storage = await call('POST', '/storage', { name: 'restart', ...s3Settings(await createBucket('restart')) });
    const first = await blockedDatabase('restart-first', storage);
    const seeded = await seededDatabase(source);
    const queued = await call('POST', '/databases', {
      name: 'restart-queued',
      ...databaseFields(source, seeded.dbname),
      storage_id: storage.id,
    });
    try {
      const running = await call('POST', `/databases/${first.id}/backup`);
      await until(first.dumpWaiting, 'the first dump to wait');
      const waiting = await call('POST', `/databases/${queued.id}/backup`);
      expect(await status(waiting.id as string)).toBe('pending');
      await api.stop();
      api = undefined;
      expect(await status(running.id as string)).toBe('failed');
      expect(await status(waiting.id as string)).toBe('pending');

      api = await boot();
      await until(async () => (await status(waiting.id as string)) === 'success', 'the queued backup to run');
      expect((await backupRow(waiting.id as string)).error_message).toBeNull();
    } finally {
      await first.release();
    }
  }, 60_000);
});
