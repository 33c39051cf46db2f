import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { bearer, type Session } from '../helpers/auth';
import { databaseFields, seededDatabase, sql, waitForJob } from '../helpers/engine';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

type Backup = { id: string; status: string; object_key: string | null; size_bytes: number | null };

// GET /stats against counts this test computes from the backups it made itself.
describe('GET /api/v1/stats', () => {
  let app: SignedInApp;
  let pg: RunningPostgres;
  let localRoot: string;
  let tenantB: Session;
  let source: { url: string; dbname: string };
  const backupsOfA: Backup[] = [];
  let backupOfB: Backup;

  const stats = (token: string) => app.http().get('/api/v1/stats').set(bearer(token));
  /** Creates local storage and the databases in the caller's tenant; returns the database ids. */
  async function setUp(token: string, names: Record<string, string>) {
    const storage = await app
      .http()
      .post('/api/v1/storage')
      .set(bearer(token))
      .send({ name: 'disk', provider: 'local' })
      .expect(201);
    const ids: Record<string, string> = {};
    for (const [name, dbname] of Object.entries(names)) {
      const created = await app
        .http()
        .post('/api/v1/databases')
        .set(bearer(token))
        .send({ name, ...databaseFields(pg, dbname), storage_id: storage.body.id })
        .expect(201);
      ids[name] = created.body.id;
    }
    return ids;
  }
  async function backUp(token: string, databaseId: string): Promise<Backup> {
    const started = await app.http().post(`/api/v1/databases/${databaseId}/backup`).set(bearer(token)).expect(202);
    return (await waitForJob(app, `/api/v1/backups/${started.body.id}`, token)) as Backup;
  }
  /** Bytes of the stored object, read from the disk of local storage. */
  const storedBytes = async (tenantId: string, backup: Backup) =>
    (await stat(join(localRoot, tenantId, backup.object_key!))).size;

  beforeAll(async () => {
    localRoot = await mkdtemp(join(tmpdir(), 'dumpstation-stats-'));
    [app, pg] = await Promise.all([startSignedIn({ STORAGE_LOCAL_ROOT: localRoot }), startPostgres({ major: 14 })]);
    source = await seededDatabase(pg);

    const a = await setUp(app.root.access_token, {
      shop: source.dbname,
      broken: 'no_such_database',
      idle: source.dbname,
    });
    backupsOfA.push(await backUp(app.root.access_token, a.shop));
    backupsOfA.push(await backUp(app.root.access_token, a.shop));
    backupsOfA.push(await backUp(app.root.access_token, a.broken));
    backupsOfA.push(await backUp(app.root.access_token, a.shop));

    // Tenant B, with a backup of its own that must not count for tenant A.
    const tenant = await app
      .http()
      .post('/api/v1/tenants')
      .set(bearer(app.root.access_token))
      .send({ name: 'Beta', slug: 'beta' })
      .expect(201);
    tenantB = (
      await app
        .http()
        .post('/api/v1/auth/switch-tenant')
        .set(bearer(app.root.access_token))
        .send({ tenant_id: tenant.body.id })
        .expect(200)
    ).body as Session;
    const b = await setUp(tenantB.access_token, { other: source.dbname });
    backupOfB = await backUp(tenantB.access_token, b.other);
  }, 120_000);
  afterAll(async () => {
    await app?.api.close();
    await pg?.stop();
    if (localRoot) await rm(localRoot, { recursive: true, force: true });
  });

  it('counts the tenant’s databases, its backups of the last 24 hours and the bytes they occupy', async () => {
    expect(backupsOfA.map((b) => b.status)).toEqual(['success', 'success', 'failed', 'success']);
    const successful = backupsOfA.filter((b) => b.status === 'success');
    let bytes = 0;
    for (const backup of successful) bytes += await storedBytes(app.root.tenant.id, backup);
    expect(bytes).toBeGreaterThan(0);

    const response = await stats(app.root.access_token).expect(200);
    expect(response.body).toEqual({
      total_databases: 3,
      total_backups_24h: 4,
      successful_backups_24h: 3,
      failed_backups_24h: 1,
      total_storage_bytes: bytes,
    });
    expect(bytes).toBe(successful.reduce((sum, b) => sum + b.size_bytes!, 0));
  });

  it('counts only another tenant’s own backups for it', async () => {
    const response = await stats(tenantB.access_token).expect(200);
    expect(response.body).toEqual({
      total_databases: 1,
      total_backups_24h: 1,
      successful_backups_24h: 1,
      failed_backups_24h: 0,
      total_storage_bytes: await storedBytes(tenantB.tenant.id, backupOfB),
    });
  });

  it('is readable by a viewer and by no one signed out', async () => {
    const viewer = await app.member('stats-viewer', 'viewer');
    const asViewer = await stats(viewer.access_token).expect(200);
    expect(asViewer.body).toEqual((await stats(app.root.access_token)).body);
    const anonymous = await app.http().get('/api/v1/stats');
    expect(anonymous.status).toBe(401);
  });

  it('leaves a backup older than 24 hours out of the *_24h counters but keeps its bytes', async () => {
    const [old] = backupsOfA;
    const before = (await stats(app.root.access_token)).body;
    await sql(
      app.api.databaseUrl,
      `UPDATE backups SET created_at = now() - interval '25 hours' WHERE id = '${old.id}'`,
    );
    const after = (await stats(app.root.access_token)).body;
    expect(after).toEqual({
      ...before,
      total_backups_24h: before.total_backups_24h - 1,
      successful_backups_24h: before.successful_backups_24h - 1,
    });
  });

  it('stops counting a deleted backup’s bytes', async () => {
    const before = (await stats(app.root.access_token)).body;
    const gone = backupsOfA[3];
    const size = await storedBytes(app.root.tenant.id, gone);
    await app.http().delete(`/api/v1/backups/${gone.id}`).set(bearer(app.root.access_token)).expect(204);
    const after = (await stats(app.root.access_token)).body;
    expect(after).toMatchObject({
      total_storage_bytes: before.total_storage_bytes - size,
      total_backups_24h: before.total_backups_24h - 1,
      successful_backups_24h: before.successful_backups_24h - 1,
    });
  });
});
