import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { bearer } from '../helpers/auth';
import { databaseFields, seededDatabase, sql, waitForJob } from '../helpers/engine';
import { createBucket, s3Settings } from '../helpers/s3';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

// A pending backup row whose job never reached the queue (its process stopped between the insert
// and the send) is not stuck: the supervisor queues it again after 6 heartbeats, and it runs once.
describe('pending rows missing from the queue', () => {
  let app: SignedInApp;
  let source: RunningPostgres;

  beforeAll(async () => {
    source = await startPostgres({ major: 15 });
    app = await startSignedIn({ JOB_HEARTBEAT_MS: '200', JOB_POLL_SECONDS: '0.5' });
  }, 60_000);
  afterAll(async () => {
    await app?.api.close();
    await source?.stop();
  });

  it('a pending backup with no job is queued again and succeeds, once', async () => {
    const as = bearer(app.root.access_token);
    const seeded = await seededDatabase(source);
    const storage = await app
      .http()
      .post('/api/v1/storage')
      .set(as)
      .send({ name: 'orphans', ...s3Settings(await createBucket('orphans')) })
      .expect(201);
    const database = await app
      .http()
      .post('/api/v1/databases')
      .set(as)
      .send({ name: 'orphan', ...databaseFields(source, seeded.dbname), storage_id: storage.body.id })
      .expect(201);
    // As a process that died right after recording it would leave it: a row, no job.
    const [row] = await sql(
      app.api.databaseUrl,
      `INSERT INTO backups (id, tenant_id, database_id, storage_id, status, trigger, name, created_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, $3, 'pending', 'manual', 'orphan-backup', now(), now()) RETURNING id`,
      [app.root.tenant.id, database.body.id, storage.body.id],
    );
    const done = await waitForJob(app, `/api/v1/backups/${row.id as string}`, app.root.access_token, 30_000);
    expect(done).toMatchObject({ status: 'success', attempt: 1 });
    const [{ starts }] = await sql(
      app.api.databaseUrl,
      `SELECT count(*)::int AS starts FROM pgboss.job WHERE name = 'backup' AND data->>'backupId' = $1`,
      [row.id],
    );
    expect(starts).toBe(1);
  }, 60_000);
});
