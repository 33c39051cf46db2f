import { S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { startTestApp, type TestApp } from '../helpers/app';
import { deliveredCodes, uniqueWebhook, waitForCode } from '../helpers/discord';
import { seededDatabase, sql, tableContents } from '../helpers/engine';
import { createBucket } from '../helpers/s3';

// Issue 10: the README's example workflow sent verbatim, with fetch and literal JSON bodies
// (not the generated client), so the documented contract is what is tested.
describe('the documented API workflow', () => {
  const hook = uniqueWebhook();
  let api: TestApp;
  let pg: RunningPostgres;
  let source: { url: string; dbname: string };
  let bucket: string;
  let token = '';
  const ids: Record<string, string> = {};
  const target = new URL(process.env.TEST_DATABASE_ADMIN_URL!);

  // Answers are read as loose JSON on purpose: the test checks the documented shapes itself.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Json = any;

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${api.baseUrl}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  /** The fields an error names (one entry per failed rule in the body, so each once here). */
  const fieldsOf = (body: { errors: { field: string }[] }) => [...new Set(body.errors.map((e) => e.field))].sort();

  async function signIn(identifier: string): Promise<string> {
    const known = await deliveredCodes(hook.path, 'root');
    expect((await call('POST', '/api/v1/auth/login', { username: identifier })).status).toBe(202);
    const otp = await waitForCode(hook.path, 'root', known);
    const session = await call('POST', '/api/v1/auth/verify', { username: identifier, otp });
    expect(session.status).toBe(200);
    return session.body.access_token as string;
  }

  async function until(path: string): Promise<Json> {
    for (let i = 0; i < 600; i += 1) {
      const job = await call('GET', path);
      if (['success', 'failed'].includes(job.body.status)) return job.body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${path} did not finish`);
  }

  beforeAll(async () => {
    [api, pg, bucket] = await Promise.all([
      startTestApp({
        env: { SYSTEM_USERNAME: 'root', SYSTEM_EMAIL: 'root@example.com', SYSTEM_DISCORD_WEBHOOK_URL: hook.url },
      }),
      startPostgres({ major: 15 }),
      createBucket('documented'),
    ]);
    source = await seededDatabase(pg);
  });
  afterAll(async () => {
    await api?.close();
    await pg?.stop();
  });

  it('signs in by username and by email', async () => {
    expect(await signIn('root')).toMatch(/^ey/);
    token = await signIn('root@example.com');
  });

  it('creates storage in the R2 shape, a notification and a database', async () => {
    const storage = await call('POST', '/api/v1/storage', {
      name: 'r2-backups',
      provider: 'r2',
      bucket,
      region: 'auto',
      endpoint: process.env.TEST_S3_ENDPOINT,
      access_key: S3_ACCESS_KEY_ID,
      secret_key: S3_SECRET_ACCESS_KEY,
    });
    expect(storage.status).toBe(201);
    expect(storage.body).toMatchObject({
      provider: 'r2',
      region: 'auto',
      access_key: S3_ACCESS_KEY_ID,
      secret_key_set: true,
    });
    expect(JSON.stringify(storage.body)).not.toContain(S3_SECRET_ACCESS_KEY);
    ids.storage = storage.body.id;

    const notification = await call('POST', '/api/v1/notifications', {
      name: 'ops-alerts',
      discord_webhook_url: uniqueWebhook().url,
    });
    expect(notification.status).toBe(201);
    expect(notification.body).toMatchObject({ discord_webhook_url_set: true, on_success: true, on_failure: true });
    ids.notification = notification.body.id;

    const database = await call('POST', '/api/v1/databases', {
      name: 'shop',
      host: pg.host,
      port: pg.port,
      dbname: source.dbname,
      user: pg.user,
      password: pg.password,
      schedule: '0 3 * * *',
      storage_id: ids.storage,
      notification_id: ids.notification,
      rotation_policy: { type: 'count', value: 7 },
    });
    expect(database.status).toBe(201);
    expect(database.body).toMatchObject({ user: pg.user, schedule: '0 3 * * *', password_set: true });
    ids.database = database.body.id;
  });

  it('replaces each with PUT; omitted secrets stay stored', async () => {
    const storage = await call('PUT', `/api/v1/storage/${ids.storage}`, {
      name: 'r2-primary',
      provider: 'r2',
      bucket,
      region: 'auto',
      endpoint: process.env.TEST_S3_ENDPOINT,
      access_key: S3_ACCESS_KEY_ID,
    });
    expect(storage.status).toBe(200);
    expect(storage.body).toMatchObject({ name: 'r2-primary', secret_key_set: true });

    const notification = await call('PUT', `/api/v1/notifications/${ids.notification}`, {
      name: 'ops-channel',
      on_success: false,
    });
    expect(notification.status).toBe(200);
    expect(notification.body).toMatchObject({ name: 'ops-channel', on_success: false, discord_webhook_url_set: true });

    // No password: the stored one is kept (the backup below still connects).
    const database = await call('PUT', `/api/v1/databases/${ids.database}`, {
      name: 'shop-db',
      host: pg.host,
      port: pg.port,
      dbname: source.dbname,
      user: pg.user,
      schedule: '30 2 * * *',
      storage_id: ids.storage,
      notification_id: ids.notification,
      rotation_policy: { type: 'days', value: 14 },
    });
    expect(database.status).toBe(200);
    expect(database.body).toMatchObject({
      name: 'shop-db',
      schedule: '30 2 * * *',
      password_set: true,
      rotation_policy: { type: 'days', value: 14 },
      // PUT replaces: what was left out is back to its default.
      timezone: 'UTC',
      sslmode: 'prefer',
    });
  });

  it('refuses a PUT missing a required field, naming it, and changes nothing', async () => {
    const before = await call('GET', `/api/v1/databases/${ids.database}`);
    const response = await call('PUT', `/api/v1/databases/${ids.database}`, {
      name: 'shop-db',
      host: pg.host,
      dbname: source.dbname,
      storage_id: ids.storage,
    });
    expect(response.status).toBe(400);
    expect(fieldsOf(response.body)).toEqual(['user']);
    expect((await call('GET', `/api/v1/databases/${ids.database}`)).body).toEqual(before.body);
    const storage = await call('PUT', `/api/v1/storage/${ids.storage}`, { provider: 'r2' });
    expect(storage.status).toBe(400);
    expect(fieldsOf(storage.body)).toContain('name');
  });

  it('backs up, lists the backups, restores with flat target_* fields into another server', async () => {
    const started = await call('POST', `/api/v1/databases/${ids.database}/backup`);
    expect(started.status).toBe(202);
    const backup = await until(`/api/v1/backups/${started.body.id}`);
    expect(backup).toMatchObject({ status: 'success' });
    ids.backup = backup.id;

    const list = await call('GET', `/api/v1/databases/${ids.database}/backups`);
    expect(list.body.items.map((b: { id: string }) => b.id)).toEqual([backup.id]);

    const restore = await call('POST', `/api/v1/backups/${backup.id}/restore`, {
      target_host: target.hostname,
      target_port: Number(target.port),
      target_dbname: 'documented_copy',
      target_user: decodeURIComponent(target.username),
      target_password: decodeURIComponent(target.password),
      target_sslmode: 'disable',
      create: true,
    });
    expect(restore.status).toBe(202);
    expect(restore.body).toMatchObject({
      into_source: false,
      target_host: target.hostname,
      target_dbname: 'documented_copy',
      target_user: decodeURIComponent(target.username),
    });
    expect(await until(`/api/v1/restores/${restore.body.id}`)).toMatchObject({ status: 'success' });
    const copy = new URL(target);
    copy.pathname = '/documented_copy';
    expect(await tableContents(copy.toString())).toEqual(await tableContents(source.url));
  });

  it('names the missing parts of a partial target and starts nothing', async () => {
    const response = await call('POST', `/api/v1/backups/${ids.backup}/restore`, { target_port: 5433 });
    expect(response.status).toBe(400);
    expect(fieldsOf(response.body)).toEqual(['target_dbname', 'target_host', 'target_user']);
  });

  it('answers /stats with the counts and bytes the test computes', async () => {
    // A failing backup too: a database on a port nothing listens on.
    const broken = await call('POST', '/api/v1/databases', {
      name: 'broken',
      host: '127.0.0.1',
      port: 1,
      dbname: 'nothing',
      user: 'nobody',
      storage_id: ids.storage,
    });
    const failed = await call('POST', `/api/v1/databases/${broken.body.id}/backup`);
    expect(await until(`/api/v1/backups/${failed.body.id}`)).toMatchObject({ status: 'failed' });

    const [row] = await sql(
      api.databaseUrl,
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE status = 'success')::int AS ok,
              count(*) FILTER (WHERE status = 'failed')::int AS failed,
              coalesce(sum(size_bytes) FILTER (WHERE status = 'success'), 0)::bigint AS bytes
       FROM backups`,
    );
    const stats = await call('GET', '/api/v1/stats');
    expect(stats.status).toBe(200);
    // The five documented counters, exactly (issue 13 adds fields beside them).
    expect(stats.body).toMatchObject({
      total_databases: 2,
      total_backups_24h: row.total,
      successful_backups_24h: row.ok,
      failed_backups_24h: row.failed,
      total_storage_bytes: Number(row.bytes),
    });
    expect(stats.body).toMatchObject({ total_backups_24h: 2, successful_backups_24h: 1, failed_backups_24h: 1 });
    expect(stats.body.total_storage_bytes).toBeGreaterThan(1000);
  });

  it('filters the activity log by action=Backup', async () => {
    const logs = await call('GET', '/api/v1/activity-logs?page=1&limit=50&action=Backup');
    expect(logs.status).toBe(200);
    expect(logs.body.items.length).toBeGreaterThanOrEqual(4);
    expect(new Set(logs.body.items.map((e: { action: string }) => e.action))).toEqual(new Set(['Backup']));
    expect(logs.body.items.map((e: { event: string }) => e.event)).toEqual(
      expect.arrayContaining(['backup.start', 'backup.finish']),
    );
  });

  it('answers GET /health at the root', async () => {
    const health = await call('GET', '/health');
    expect(health.status).toBe(200);
    expect(Object.keys(health.body).sort()).toEqual(['status', 'timestamp']);
    expect(health.body.status).toBe('healthy');
    expect(new Date(health.body.timestamp).toISOString()).toBe(health.body.timestamp);
  });
});
