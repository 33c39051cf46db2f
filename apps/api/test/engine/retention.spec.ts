import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { RetentionService } from '../../src/modules/retention/retention.service';
import { bearer, type Session } from '../helpers/auth';
import { backUp, databaseFields, seededDatabase, sql } from '../helpers/engine';
import { createBucket, objectKeys, s3Settings } from '../helpers/s3';
import { startTestApp } from '../helpers/app';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

type Backup = { id: string; name: string; status: string; object_key: string; roles_object_key: string | null };
type Decision = { id: string; name: string; keep: boolean; reason: string; status: string };

/**
 * An S3 endpoint in front of the run's s3rver that can refuse DELETEs with 503: a storage that
 * stores and serves, but fails removals (what retention must record and retry).
 */
async function flakyS3(): Promise<{
  endpoint: string;
  failDeletes: (on: boolean) => void;
  close: () => Promise<void>;
}> {
  const upstream = new URL(process.env.TEST_S3_ENDPOINT!);
  let failing = false;
  const server: Server = createServer((req, res) => {
    if (failing && req.method === 'DELETE') {
      req.resume();
      res.writeHead(503, { 'content-type': 'application/xml' });
      res.end('<Error><Code>ServiceUnavailable</Code><Message>storage is down for the test</Message></Error>');
      return;
    }
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failDeletes: (on) => (failing = on),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const filesOf = (backup: Backup) => [
  backup.object_key,
  ...(backup.roles_object_key ? [backup.roles_object_key] : []),
  backup.object_key.replace(/\.dump$/, '.json'),
];

// Retention on real servers: rows become `deleted` (kept in history) with their objects gone,
// the preview is what the next run removes, storage errors are recorded and retried.
describe('retention', () => {
  let app: SignedInApp;
  let pg: RunningPostgres;
  let s3: Awaited<ReturnType<typeof flakyS3>>;
  let bucket: string;
  let storageId: string;
  let source: { url: string; dbname: string };
  const auth = () => bearer(app.root.access_token);
  const history = async (databaseId: string): Promise<Backup[]> =>
    (await app.http().get(`/api/v1/databases/${databaseId}/backups?limit=100`).set(auth()).expect(200)).body.items;
  const preview = async (databaseId: string, query = '') =>
    (await app.http().get(`/api/v1/databases/${databaseId}/retention-preview${query}`).set(auth()).expect(200))
      .body as { removed: number; kept: number; backups: Decision[]; policy: unknown };
  const createDatabase = async (name: string, rotation_policy: unknown) =>
    (
      await app
        .http()
        .post('/api/v1/databases')
        .set(auth())
        .send({ name, ...databaseFields(pg, source.dbname), storage_id: storageId, rotation_policy })
        .expect(201)
    ).body.id as string;

  beforeAll(async () => {
    // No periodic run during the test: every run here is one the test starts or a backup's.
    [app, pg, bucket, s3] = await Promise.all([
      startSignedIn({ RETENTION_INTERVAL_MINUTES: '0' }),
      startPostgres({ major: 14 }),
      createBucket('retention'),
      flakyS3(),
    ]);
    source = await seededDatabase(pg);
    storageId = (
      await app
        .http()
        .post('/api/v1/storage')
        .set(auth())
        .send({ name: 's3', ...s3Settings(bucket), endpoint: s3.endpoint })
        .expect(201)
    ).body.id;
  }, 60_000);
  afterAll(async () => {
    await app?.api.close();
    await pg?.stop();
    await s3?.close();
  });

  it('validates and shows the policy shapes', async () => {
    const bad = await app
      .http()
      .post('/api/v1/databases')
      .set(auth())
      .send({
        name: 'bad-policy',
        ...databaseFields(pg, source.dbname),
        storage_id: storageId,
        rotation_policy: { type: 'gfs', value: 1, daily: -1, min_keep: 0 },
      });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'rotation_policy.daily',
      'rotation_policy.min_keep',
    ]);
    const id = await createDatabase('gfs-shape', { type: 'gfs', value: 2, daily: 7, weekly: 4, min_keep: 3 });
    const shown = await app.http().get(`/api/v1/databases/${id}`).set(auth()).expect(200);
    expect(shown.body.rotation_policy).toEqual({ type: 'gfs', value: 2, daily: 7, weekly: 4, min_keep: 3 });
    const counted = await createDatabase('count-shape', { type: 'count', value: 5 });
    const plain = await app.http().get(`/api/v1/databases/${counted}`).set(auth()).expect(200);
    expect(plain.body.rotation_policy).toEqual({ type: 'count', value: 5, min_keep: 1 });
  });

  it('count 2: after each success the oldest go from storage, their rows stay as deleted; the preview said so', async () => {
    const databaseId = await createDatabase('counted', null);
    const made: Backup[] = [];
    for (let i = 0; i < 3; i++) made.push((await backUp(app, databaseId)) as unknown as Backup);
    // A failure in between counts for nothing and is never removed.
    await sql(app.api.databaseUrl, "UPDATE backups SET status = 'failed', object_key = NULL WHERE id = $1", [
      made[1].id,
    ]);
    for (const backup of made.slice(0, 1))
      expect(await objectKeys(bucket)).toEqual(expect.arrayContaining(filesOf(backup)));

    // A proposed policy changes nothing but answers what it would remove.
    const proposed = await preview(databaseId, '?type=count&value=1');
    expect(proposed.backups.map((d) => [d.id, d.keep, d.reason])).toEqual([
      [made[2].id, true, 'newest success; newest 1'],
      [made[1].id, true, 'failed: retention removes only successful backups'],
      [made[0].id, false, 'beyond the newest 1'],
    ]);
    expect((await preview(databaseId)).removed).toBe(0); // no stored policy: keep everything

    await app
      .http()
      .patch(`/api/v1/databases/${databaseId}`)
      .set(auth())
      .send({ rotation_policy: { type: 'count', value: 2 } })
      .expect(200);
    // The next backup makes 3 successes: the oldest (made[0]) goes, as the preview says now.
    const before = await preview(databaseId);
    expect(before.removed).toBe(0);
    const fourth = (await backUp(app, databaseId)) as unknown as Backup;
    const rows = await until(
      () => history(databaseId),
      (list) => list.some((b) => b.status === 'deleted'),
      'the oldest backup to be deleted',
    );
    expect(rows.map((b) => [b.id, b.status])).toEqual([
      [fourth.id, 'success'],
      [made[2].id, 'success'],
      [made[1].id, 'failed'],
      [made[0].id, 'deleted'],
    ]);
    const keys = await objectKeys(bucket);
    for (const key of filesOf(made[0])) expect(keys).not.toContain(key);
    for (const key of [...filesOf(fourth), ...filesOf(made[2])]) expect(keys).toContain(key);
    const deleted = (await app.http().get(`/api/v1/backups/${made[0].id}`).set(auth()).expect(200)).body;
    expect(deleted.deleted_at).toEqual(expect.any(String));
    // A deleted backup cannot be downloaded or restored any more.
    expect((await app.http().get(`/api/v1/backups/${made[0].id}/download`).set(auth())).status).toBe(409);

    const log = (await app.http().get('/api/v1/activity-logs?event=backup.rotate&limit=100').set(auth()).expect(200))
      .body.items as { resource_id: string; resource_type: string; outcome: string }[];
    expect(log.filter((e) => e.resource_id === made[0].id)).toEqual([
      expect.objectContaining({ resource_type: 'Backup', outcome: 'success' }),
    ]);
    // The deleted backup's bytes are not stored any more.
    const stats = (await app.http().get('/api/v1/stats').set(auth()).expect(200)).body;
    const [{ sum }] = await sql(
      app.api.databaseUrl,
      "SELECT coalesce(sum(size_bytes), 0)::text AS sum FROM backups WHERE status = 'success'",
    );
    expect(stats.total_storage_bytes).toBe(Number(sum));
    expect(
      (await sql(app.api.databaseUrl, "SELECT size_bytes FROM backups WHERE status = 'deleted'"))[0].size_bytes,
    ).not.toBeNull();
  });

  it('the preview is exactly what the next run removes', async () => {
    const databaseId = await createDatabase('previewed', null);
    const made: Backup[] = [];
    for (let i = 0; i < 4; i++) made.push((await backUp(app, databaseId)) as unknown as Backup);
    // Ages of 0, 3, 10 and 20 days (newest first), without waiting for them.
    const ages = [0, 3, 10, 20];
    for (const [i, age] of ages.entries()) {
      await sql(
        app.api.databaseUrl,
        `UPDATE backups SET created_at = now() - ($2 || ' days')::interval WHERE id = $1`,
        [made[made.length - 1 - i].id, String(age)],
      );
    }
    await sql(app.api.databaseUrl, "UPDATE databases SET rotation_type = 'days', rotation_value = 7 WHERE id = $1", [
      databaseId,
    ]);
    const planned = await preview(databaseId);
    expect(planned.backups.map((d) => d.reason)).toEqual([
      'newest success; within 7 days',
      'within 7 days',
      'older than 7 days',
      'older than 7 days',
    ]);
    const toRemove = planned.backups.filter((d) => !d.keep).map((d) => d.id);
    expect(toRemove).toHaveLength(2);
    await app.api.app.get(RetentionService).runAll();
    const after = await history(databaseId);
    expect(after.filter((b) => b.status === 'deleted').map((b) => b.id)).toEqual(toRemove);
    expect(after.filter((b) => b.status === 'success').map((b) => b.id)).toEqual(
      planned.backups.filter((d) => d.keep).map((d) => d.id),
    );
    expect((await preview(databaseId)).removed).toBe(0);
  });

  it('a storage error during removal is recorded on the row and in the log, and retried on the next run', async () => {
    const databaseId = await createDatabase('flaky', { type: 'count', value: 1 });
    const first = (await backUp(app, databaseId)) as unknown as Backup;
    s3.failDeletes(true);
    try {
      await backUp(app, databaseId);
      const failed = await until(
        async () => (await app.http().get(`/api/v1/backups/${first.id}`).set(auth()).expect(200)).body,
        (b) => Boolean(b.deletion_error),
        'the removal error to be recorded',
      );
      expect(failed.status).toBe('success');
      expect(failed.deletion_error).toMatch(/503|ServiceUnavailable|storage is down/i);
      expect(await objectKeys(bucket)).toContain(first.object_key);
      const log = (await app.http().get('/api/v1/activity-logs?event=backup.rotate&limit=100').set(auth()).expect(200))
        .body.items as { resource_id: string; outcome: string; level: string }[];
      expect(log.filter((e) => e.resource_id === first.id)).toEqual([
        expect.objectContaining({ outcome: 'failure', level: 'Error' }),
      ]);
      const retry = await preview(databaseId);
      expect(retry.backups.find((d) => d.id === first.id)).toMatchObject({
        keep: false,
        reason: expect.stringMatching(/^beyond the newest 1; retrying: the last removal failed/),
      });
    } finally {
      s3.failDeletes(false);
    }
    await app.api.app.get(RetentionService).runAll();
    const retried = (await app.http().get(`/api/v1/backups/${first.id}`).set(auth()).expect(200)).body;
    expect(retried).toMatchObject({ status: 'deleted', deletion_error: null });
    const keys = await objectKeys(bucket);
    for (const key of filesOf(first)) expect(keys).not.toContain(key);
  });

  it('the periodic run is once per cluster: while another process holds the lock it does nothing', async () => {
    const databaseId = await createDatabase('locked', null);
    await backUp(app, databaseId);
    await backUp(app, databaseId);
    await sql(app.api.databaseUrl, "UPDATE databases SET rotation_type = 'count', rotation_value = 1 WHERE id = $1", [
      databaseId,
    ]);
    const other = new Client({ connectionString: app.api.databaseUrl });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [0x7e7e_0012]);
      expect(await app.api.app.get(RetentionService).runAll()).toBe(false);
      expect((await history(databaseId)).map((b) => b.status)).toEqual(['success', 'success']);
      await other.query('SELECT pg_advisory_unlock($1)', [0x7e7e_0012]);
      expect(await app.api.app.get(RetentionService).runAll()).toBe(true);
      expect((await history(databaseId)).map((b) => b.status)).toEqual(['success', 'deleted']);
    } finally {
      await other.end();
    }
  });

  it('the periodic run is a queue job: two more processes on the service database store one job per interval, and it applies the policy', async () => {
    const databaseId = await createDatabase('periodic', null);
    await backUp(app, databaseId);
    await backUp(app, databaseId);
    // Changed behind the API's back: only a periodic run (no backup follows) can apply it.
    await sql(app.api.databaseUrl, "UPDATE databases SET rotation_type = 'count', rotation_value = 1 WHERE id = $1", [
      databaseId,
    ]);
    const env = { RETENTION_INTERVAL_MINUTES: '0.05', JOB_POLL_SECONDS: '0.5' };
    const others = await Promise.all(
      [1, 2].map(() => startTestApp({ databaseUrl: app.api.databaseUrl, migrate: false, env })),
    );
    try {
      const deadline = Date.now() + 20_000;
      while ((await history(databaseId)).map((b) => b.status).join() !== 'success,deleted') {
        if (Date.now() > deadline) throw new Error('the periodic run did not apply the policy');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      // Both processes offer a run every half interval; pg-boss kept one job per 3-second slot.
      const slots = await sql(
        app.api.databaseUrl,
        `SELECT singleton_on, count(*)::int AS jobs FROM pgboss.job WHERE name = 'retention' GROUP BY singleton_on`,
      );
      expect(slots.length).toBeGreaterThanOrEqual(2);
      expect(slots.map((slot) => slot.jobs)).toEqual(slots.map(() => 1));
    } finally {
      await Promise.all(others.map((other) => other.close()));
    }
  }, 60_000);

  it("answers 404 for another tenant's database, and 400 for a proposal it cannot preview", async () => {
    const databaseId = await createDatabase('no-policy', null);
    const missing = await app.http().get(`/api/v1/databases/${databaseId}/retention-preview?value=3`).set(auth());
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['type']);
    const wrong = await app.http().get(`/api/v1/databases/${databaseId}/retention-preview?type=weekly`).set(auth());
    expect([wrong.status, wrong.body.errors[0].field]).toEqual([400, 'type']);

    const tenantB = (
      await app.http().post('/api/v1/tenants').set(auth()).send({ name: 'Other', slug: 'other' }).expect(201)
    ).body;
    const inB = (
      await app.http().post('/api/v1/auth/switch-tenant').set(auth()).send({ tenant_id: tenantB.id }).expect(200)
    ).body as Session;
    const storageB = await app
      .http()
      .post('/api/v1/storage')
      .set(bearer(inB.access_token))
      .send({ name: 'b-disk', provider: 'local' })
      .expect(201);
    const databaseB = await app
      .http()
      .post('/api/v1/databases')
      .set(bearer(inB.access_token))
      .send({ name: 'b-db', host: '127.0.0.1', dbname: 'b', user: 'b', storage_id: storageB.body.id })
      .expect(201);
    await app
      .http()
      .get(`/api/v1/databases/${databaseB.body.id}/retention-preview`)
      .set(bearer(inB.access_token))
      .expect(200);
    const foreign = await app.http().get(`/api/v1/databases/${databaseB.body.id}/retention-preview`).set(auth());
    expect([foreign.status, foreign.body.code]).toEqual([404, 'NOT_FOUND']);
  });
});
