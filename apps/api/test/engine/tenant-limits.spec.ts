import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { Client } from 'pg';
import { bearer, type Session } from '../helpers/auth';
import { databaseFields, seededDatabase, sql, waitForJob } from '../helpers/engine';
import { createBucket, s3Settings } from '../helpers/s3';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

// MAX_CONCURRENT_BACKUPS_PER_TENANT across the workers: one tenant's long line of backups takes
// at most its share of the slots, so another tenant's backup runs at once instead of waiting
// behind all of them.
describe('concurrency limits', () => {
  let app: SignedInApp;
  let source: RunningPostgres;
  let tenantB: Session;
  const blocker = { client: undefined as Client | undefined };

  const byStatus = async (tenantId: string) =>
    Object.fromEntries(
      (
        await sql(
          app.api.databaseUrl,
          `SELECT status::text AS status, count(*)::int AS n FROM backups WHERE tenant_id = $1 GROUP BY status`,
          [tenantId],
        )
      ).map((row) => [row.status, row.n]),
    ) as Record<string, number>;

  async function databaseIn(session: Session, name: string) {
    const seeded = await seededDatabase(source);
    const as = bearer(session.access_token);
    const storage = await app
      .http()
      .post('/api/v1/storage')
      .set(as)
      .send({ name: `${name}-store`, ...s3Settings(await createBucket(name)) })
      .expect(201);
    const database = await app
      .http()
      .post('/api/v1/databases')
      .set(as)
      .send({ name, ...databaseFields(source, seeded.dbname), storage_id: storage.body.id })
      .expect(201);
    return { id: database.body.id as string, url: seeded.url };
  }

  beforeAll(async () => {
    source = await startPostgres({ major: 15 });
    app = await startSignedIn({
      MAX_CONCURRENT_BACKUPS: '3',
      MAX_CONCURRENT_BACKUPS_PER_TENANT: '2',
      JOB_POLL_SECONDS: '0.5',
    });
    tenantB = await app.newTenant('Beta', 'beta');
  }, 60_000);
  afterAll(async () => {
    await blocker.client?.query('ROLLBACK').catch(() => undefined);
    await blocker.client?.end().catch(() => undefined);
    await app?.api.close();
    await source?.stop();
  });

  it("tenant A's 10 queued backups run 2 at a time and do not delay tenant B's backup", async () => {
    const a = await databaseIn(app.root, 'a-busy');
    const b = await databaseIn(tenantB, 'b-quick');
    // A's backups wait on a lock (pg_dump blocks) until released: they hold their slots meanwhile.
    blocker.client = new Client({ connectionString: a.url });
    await blocker.client.connect();
    await blocker.client.query('BEGIN; LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');

    const asA = bearer(app.root.access_token);
    const queued: string[] = [];
    for (let i = 0; i < 10; i++) {
      queued.push((await app.http().post(`/api/v1/databases/${a.id}/backup`).set(asA).expect(202)).body.id as string);
    }
    const tenantA = app.root.tenant.id;
    const deadline = Date.now() + 20_000;
    while ((await byStatus(tenantA)).running !== 2) {
      if (Date.now() > deadline)
        throw new Error(`tenant A never had 2 running: ${JSON.stringify(await byStatus(tenantA))}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // B's backup, asked for after all of A's, runs on the slot A may not take.
    const started = await app
      .http()
      .post(`/api/v1/databases/${b.id}/backup`)
      .set(bearer(tenantB.access_token))
      .expect(202);
    const done = await waitForJob(app, `/api/v1/backups/${started.body.id}`, tenantB.access_token, 30_000);
    expect(done.status).toBe('success');
    // Meanwhile A never ran more than its 2, and the rest of its line still waits.
    expect(await byStatus(tenantA)).toEqual({ running: 2, pending: 8 });
    const line = await app.http().get(`/api/v1/backups/${queued[9]}`).set(asA).expect(200);
    expect(line.body.status).toBe('pending');
    expect(line.body.queue_position).toBeGreaterThan(0);

    // Released, A's whole line runs to the end, still 2 at a time.
    await blocker.client.query('ROLLBACK');
    let most = 0;
    const finished = Date.now() + 60_000;
    for (;;) {
      const counts = await byStatus(tenantA);
      most = Math.max(most, counts.running ?? 0);
      if ((counts.success ?? 0) === 10) break;
      if (Date.now() > finished) throw new Error(`A's backups did not all finish: ${JSON.stringify(counts)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(most).toBeLessThanOrEqual(2);
  }, 120_000);
});
