import { startApiProcess, startPostgres, type ApiProcess, type RunningPostgres } from '@dumpstation/testing';
import { randomBytes } from 'node:crypto';
import { createTestDatabase } from '../helpers/database';
import { processCaller } from '../helpers/auth';
import { deliveredCodes, uniqueWebhook, waitForCode } from '../helpers/discord';
import { databaseFields, seededDatabase, sql } from '../helpers/engine';
import { createBucket, s3Settings } from '../helpers/s3';

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// APP_ROLE=api serves HTTP and only queues; a worker runs what it queued. With no worker, the
// health answer says that backups wait for one instead of queueing silently forever.
describe('process roles', () => {
  const rootHook = uniqueWebhook();
  const encryptionKey = randomBytes(32).toString('base64');
  let source: RunningPostgres;
  let databaseUrl: string;
  let api: ApiProcess | undefined;
  let worker: ApiProcess | undefined;
  let token = '';

  const boot = (role: string, extra: Record<string, string> = {}) =>
    startApiProcess({
      databaseUrl,
      env: {
        APP_ROLE: role,
        APP_ENCRYPTION_KEY: encryptionKey,
        DISCORD_API_URL: process.env.TEST_DISCORD_API,
        SYSTEM_USERNAME: 'root',
        SYSTEM_DISCORD_WEBHOOK_URL: rootHook.url,
        LOG_LEVEL: 'warn',
        JOB_HEARTBEAT_MS: '500',
        ...extra,
      },
    });

  const call = processCaller(
    () => api!,
    () => token,
  );

  const status = async (id: string) =>
    (await sql(databaseUrl, 'SELECT status FROM backups WHERE id = $1', [id]))[0]?.status;

  beforeAll(async () => {
    [source, databaseUrl] = await Promise.all([startPostgres({ major: 15 }), createTestDatabase()]);
    api = await boot('api');
    const known = await deliveredCodes(rootHook.path, 'root');
    await call('POST', '/auth/login', { username: 'root' });
    const otp = await waitForCode(rootHook.path, 'root', known);
    token = (await call('POST', '/auth/verify', { username: 'root', otp })).access_token as string;
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await source?.stop();
  });

  it('an api-only process queues a backup it does not run, and /health says no worker is seen; a worker then runs it', async () => {
    const storage = await call('POST', '/storage', { name: 'roles', ...s3Settings(await createBucket('roles')) });
    const seeded = await seededDatabase(source);
    const database = await call('POST', '/databases', {
      name: 'roles',
      ...databaseFields(source, seeded.dbname),
      storage_id: storage.id,
    });
    const backup = await call('POST', `/databases/${database.id}/backup`);
    expect(backup).toMatchObject({ status: 'pending', queue_position: 1 });
    const second = await call('POST', `/databases/${database.id}/backup`);
    expect(second).toMatchObject({ status: 'pending', queue_position: 2 });
    expect(await call('GET', `/backups/${second.id}`)).toMatchObject({ queue_position: 2 });
    const listed = (await call('GET', `/databases/${database.id}/backups`)).items as Record<string, unknown>[];
    expect(listed.map((item) => item.queue_position).sort()).toEqual([1, 2]);
    await new Promise((resolve) => setTimeout(resolve, 4_000)); // longer than the abandonment window (6 × 500 ms)
    expect(await status(backup.id as string)).toBe('pending');
    const health = await call('GET', '/health');
    expect(health.jobs).toEqual({
      status: 'no_worker',
      waiting: 2,
      workers_seen: 0,
      warning: expect.stringContaining('no worker process'),
    });

    worker = await boot('worker');
    await until(async () => (await status(backup.id as string)) === 'success', 'the worker to run the backup');
    await until(async () => (await status(second.id as string)) === 'success', 'the worker to run the second');
    expect(await call('GET', `/backups/${second.id}`)).toMatchObject({ status: 'success', queue_position: null });
    const [row] = await sql(databaseUrl, 'SELECT worker_id FROM backups WHERE id = $1', [backup.id]);
    expect(String(row.worker_id)).toMatch(new RegExp(`-${worker.process.pid}-`));
    expect((await call('GET', '/health')).jobs).toEqual({ status: 'ok', waiting: 0, workers_seen: 1 });
  }, 60_000);

  it('a job queued by the api process wakes an idle worker of another process at once, not at its next poll', async () => {
    await worker?.stop();
    // Polling once a minute: only the wake-up (NOTIFY on the jobs channel) can start it sooner.
    worker = await boot('worker', { JOB_POLL_SECONDS: '60' });
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // its fetch loops have polled and sleep
    const [database] = (await call('GET', '/databases')).items as { id: string }[];
    const backup = await call('POST', `/databases/${database.id}/backup`);
    await until(async () => (await status(backup.id as string)) === 'success', 'the woken worker to run it', 30_000);
    const [row] = await sql(
      databaseUrl,
      'SELECT extract(epoch FROM started_at - created_at)::float AS waited, worker_id FROM backups WHERE id = $1',
      [backup.id],
    );
    expect(String(row.worker_id)).toMatch(new RegExp(`-${worker.process.pid}-`));
    expect(Number(row.waited)).toBeLessThan(5);
  }, 60_000);
});
