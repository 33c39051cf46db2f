import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { bearer, type Session } from '../helpers/auth';
import { backUp, databaseFields, restore, restoreTarget, seededDatabase } from '../helpers/engine';
import { createBucket, s3Settings } from '../helpers/s3';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

type Restore = Record<string, unknown>;

// Restore history: GET /databases/{id}/restores and GET /restores, paginated and filtered,
// the tenant's own only (issue 11).
describe('restore history', () => {
  let app: SignedInApp;
  let pg: RunningPostgres;
  let shopId: string;
  let otherId: string;
  let backupId: string;
  let otherBackupId: string;
  let viewer: Session;
  let inTenantB: Session;
  const made: Restore[] = [];
  const auth = () => bearer(app.root.access_token);
  const get = (path: string, session: Session = app.root) => app.http().get(path).set(bearer(session.access_token));

  beforeAll(async () => {
    [app, pg] = await Promise.all([startSignedIn(), startPostgres({ major: 14 })]);
    const bucket = await createBucket('restore-history');
    const source = await seededDatabase(pg);
    const storage = await app
      .http()
      .post('/api/v1/storage')
      .set(auth())
      .send({ name: 's3', ...s3Settings(bucket) })
      .expect(201);
    const add = async (name: string) =>
      (
        await app
          .http()
          .post('/api/v1/databases')
          .set(auth())
          .send({ name, ...databaseFields(pg, source.dbname), storage_id: storage.body.id })
          .expect(201)
      ).body.id as string;
    shopId = await add('shop');
    otherId = await add('other');
    backupId = (await backUp(app, shopId)).id as string;
    otherBackupId = (await backUp(app, otherId)).id as string;
    // Oldest first: two successes and a failure (the target exists already) of shop, one of other.
    made.push(await restore(app, backupId, { ...restoreTarget(pg, 'copy_one'), create: true }));
    made.push(await restore(app, backupId, { ...restoreTarget(pg, 'copy_one'), create: true }));
    made.push(await restore(app, backupId, { ...restoreTarget(pg, 'copy_two'), create: true }));
    made.push(await restore(app, otherBackupId, { ...restoreTarget(pg, 'copy_other'), create: true }));

    viewer = await app.member('vera', 'viewer');
    const tenantB = (
      await app.http().post('/api/v1/tenants').set(auth()).send({ name: 'Beta', slug: 'beta' }).expect(201)
    ).body as { id: string };
    inTenantB = (
      await app.http().post('/api/v1/auth/switch-tenant').set(auth()).send({ tenant_id: tenantB.id }).expect(200)
    ).body as Session;
  }, 120_000);
  afterAll(async () => {
    await app?.api.close();
    await pg?.stop();
  });

  it('lists a database’s restores newest first, paginated, as GET /restores/{id} shows each', async () => {
    expect(made.map((r) => r.status)).toEqual(['success', 'failed', 'success', 'success']);
    const first = await get(`/api/v1/databases/${shopId}/restores?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ page: 1, limit: 2, total: 3, total_pages: 2 });
    const second = await get(`/api/v1/databases/${shopId}/restores?limit=2&page=2`);
    const ids = [...first.body.items, ...second.body.items].map((r: Restore) => r.id);
    expect(ids).toEqual([made[2].id, made[1].id, made[0].id]);
    const one = await get(`/api/v1/restores/${made[2].id}`);
    expect(first.body.items[0]).toEqual(one.body);
    expect(one.body).toMatchObject({
      backup_id: backupId,
      database_id: shopId,
      backup_name: expect.stringMatching(/^[a-z]+-[a-z]+-\d{8}-\d{6}$/),
      target_dbname: 'copy_two',
      status: 'success',
    });
  });

  it('filters by status', async () => {
    const failed = await get(`/api/v1/databases/${shopId}/restores?status=failed`);
    expect(failed.body.items.map((r: Restore) => r.id)).toEqual([made[1].id]);
    expect(failed.body.items[0].error_message).toMatch(/already exists/);
    const all = await get('/api/v1/restores?status=success');
    expect(all.body.items.map((r: Restore) => r.id)).toEqual([made[3].id, made[2].id, made[0].id]);
  });

  it('lists every restore of the tenant, or those of one database or backup', async () => {
    const all = await get('/api/v1/restores');
    expect(all.body).toMatchObject({ total: 4, page: 1, limit: 20, total_pages: 1 });
    expect(all.body.items.map((r: Restore) => r.id)).toEqual([...made].reverse().map((r) => r.id));
    const ofOther = await get(`/api/v1/restores?database_id=${otherId}`);
    expect(ofOther.body.items.map((r: Restore) => [r.id, r.database_id])).toEqual([[made[3].id, otherId]]);
    const ofBackup = await get(`/api/v1/restores?backup_id=${backupId}&status=success`);
    expect(ofBackup.body.total).toBe(2);
  });

  it('is open to viewers', async () => {
    expect((await get(`/api/v1/databases/${shopId}/restores`, viewer)).body.total).toBe(3);
    expect((await get('/api/v1/restores', viewer)).body.total).toBe(4);
  });

  it('shows another tenant nothing: 404 for the database, an empty list for its id as a filter', async () => {
    expect((await get(`/api/v1/databases/${shopId}/restores`, inTenantB)).status).toBe(404);
    const filtered = await get(`/api/v1/restores?database_id=${shopId}`, inTenantB);
    expect(filtered.status).toBe(200);
    expect(filtered.body).toMatchObject({ items: [], total: 0 });
    expect((await get('/api/v1/restores', inTenantB)).body.total).toBe(0);
  });

  it('refuses malformed filters with 400 naming them', async () => {
    const bad = await get('/api/v1/restores?database_id=nope&status=done');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['database_id', 'status']);
    expect((await get('/api/v1/databases/nope/restores')).status).toBe(400);
  });
});
