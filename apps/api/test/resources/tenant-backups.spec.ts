import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { bearer, type Session } from '../helpers/auth';
import { databaseFields, seededDatabase, sql, waitForJob } from '../helpers/engine';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

type Item = { id: string; name: string; status: string; trigger: string; database_id: string; database_name: string };
type Page = { items: Item[]; page: number; limit: number; total: number; total_pages: number };

// GET /backups: every backup of the tenant, newest first, with its database's name; each filter
// narrows, together they all hold, another tenant's backups never appear.
describe('GET /api/v1/backups', () => {
  let app: SignedInApp;
  let pg: RunningPostgres;
  let tenantB: Session;
  const ids: Record<string, string> = {};
  const made: Record<string, Item> = {};
  let backupOfB: Item;

  const list = async (query = '', token = app.root.access_token) =>
    (await app.http().get(`/api/v1/backups?limit=100&${query}`).set(bearer(token)).expect(200)).body as Page;
  const namesOf = (page: Page) => page.items.map((item) => item.id);

  async function setUp(token: string, names: Record<string, string>) {
    const storage = await app
      .http()
      .post('/api/v1/storage')
      .set(bearer(token))
      .send({ name: 'disk', provider: 'local' })
      .expect(201);
    for (const [name, dbname] of Object.entries(names)) {
      const created = await app
        .http()
        .post('/api/v1/databases')
        .set(bearer(token))
        .send({ name, ...databaseFields(pg, dbname), storage_id: storage.body.id })
        .expect(201);
      ids[name] = created.body.id;
    }
  }
  async function backUp(token: string, databaseId: string): Promise<Item> {
    const started = await app.http().post(`/api/v1/databases/${databaseId}/backup`).set(bearer(token)).expect(202);
    return (await waitForJob(app, `/api/v1/backups/${started.body.id}`, token)) as Item;
  }

  beforeAll(async () => {
    [app, pg] = await Promise.all([startSignedIn(), startPostgres({ major: 14 })]);
    const source = await seededDatabase(pg);
    await setUp(app.root.access_token, { 'Billing-Prod': source.dbname, orders: 'no_such_database' });
    made.first = await backUp(app.root.access_token, ids['Billing-Prod']);
    made.broken = await backUp(app.root.access_token, ids.orders);
    made.last = await backUp(app.root.access_token, ids['Billing-Prod']);
    // The first one: scheduled, and made long ago (both only set here, to have something to filter).
    await sql(
      app.api.databaseUrl,
      `UPDATE backups SET trigger = 'scheduled', created_at = '2025-01-15T12:00:00Z' WHERE id = '${made.first.id}'`,
    );

    tenantB = await app.newTenant('Beta', 'beta');
    await setUp(tenantB.access_token, { 'billing-of-beta': 'no_such_database' });
    backupOfB = await backUp(tenantB.access_token, ids['billing-of-beta']);
  }, 120_000);
  afterAll(async () => {
    await app?.api.close();
    await pg?.stop();
  });

  it('lists the tenant’s backups of every database, newest first, each with its database’s name', async () => {
    expect(
      [made.first, made.broken, made.last].map((b) => [
        b.status,
        (b as { error_message?: string }).error_message ?? null,
      ]),
    ).toEqual([
      ['success', null],
      ['failed', expect.any(String)],
      ['success', null],
    ]);
    const page = await list();
    expect(namesOf(page)).toEqual([made.last.id, made.broken.id, made.first.id]);
    expect(page.items.map((item) => item.database_name)).toEqual(['Billing-Prod', 'orders', 'Billing-Prod']);
    expect(page.items[0]).toMatchObject({ name: made.last.name, database_id: ids['Billing-Prod'], status: 'success' });
    expect(page).toMatchObject({ page: 1, limit: 100, total: 3, total_pages: 1 });
  });

  it('pages like every list', async () => {
    const second = (
      await app.http().get('/api/v1/backups?limit=2&page=2').set(bearer(app.root.access_token)).expect(200)
    ).body as Page;
    expect(second).toMatchObject({ page: 2, limit: 2, total: 3, total_pages: 2 });
    expect(namesOf(second)).toEqual([made.first.id]);
  });

  it('narrows by database, status, trigger, date range and search, each alone', async () => {
    expect(namesOf(await list(`database_id=${ids.orders}`))).toEqual([made.broken.id]);
    expect(namesOf(await list('status=success'))).toEqual([made.last.id, made.first.id]);
    expect(namesOf(await list('status=failed'))).toEqual([made.broken.id]);
    expect(namesOf(await list('trigger=scheduled'))).toEqual([made.first.id]);
    expect(namesOf(await list('trigger=manual'))).toEqual([made.last.id, made.broken.id]);
    expect(namesOf(await list('from=2025-01-15T12:00:00Z&to=2025-01-15T12:00:00Z'))).toEqual([made.first.id]);
    expect(namesOf(await list('to=2025-06-01T00:00:00Z'))).toEqual([made.first.id]);
    expect(namesOf(await list('from=2025-06-01'))).toEqual([made.last.id, made.broken.id]);
    // The database's name, any case.
    expect(namesOf(await list('search=billing-PROD'))).toEqual([made.last.id, made.first.id]);
    expect(namesOf(await list('search=ORD'))).toEqual([made.broken.id]);
    // The backup's own name.
    expect(namesOf(await list(`search=${encodeURIComponent(made.last.name.toUpperCase())}`))).toEqual([made.last.id]);
    expect((await list('search=nothing-is-called-this')).total).toBe(0);
  });

  it('applies the filters together', async () => {
    const billing = ids['Billing-Prod'];
    expect(namesOf(await list(`database_id=${billing}&status=success&trigger=manual`))).toEqual([made.last.id]);
    expect(namesOf(await list(`search=billing&to=2025-12-31T00:00:00Z&status=success`))).toEqual([made.first.id]);
    expect(namesOf(await list(`database_id=${billing}&status=failed`))).toEqual([]);
    expect(namesOf(await list('search=orders&trigger=scheduled'))).toEqual([]);
  });

  it('never lists another tenant’s backups, whatever the filters say', async () => {
    expect(namesOf(await list('search=beta'))).toEqual([]);
    expect(namesOf(await list(`database_id=${ids['billing-of-beta']}`))).toEqual([]);
    const ofB = await list('', tenantB.access_token);
    expect(namesOf(ofB)).toEqual([backupOfB.id]);
    expect(ofB.items[0].database_name).toBe('billing-of-beta');
    expect(namesOf(await list(`database_id=${ids['Billing-Prod']}`, tenantB.access_token))).toEqual([]);
  });

  it('answers 400 naming the field for a bad filter', async () => {
    for (const [query, field] of [
      ['status=done', 'status'],
      ['trigger=cron', 'trigger'],
      ['database_id=not-a-uuid', 'database_id'],
      ['from=yesterday', 'from'],
      ['to=2025-02-30T00:00:00Z', 'to'],
      [`search=${'x'.repeat(101)}`, 'search'],
      ['limit=0', 'limit'],
    ]) {
      const response = await app.http().get(`/api/v1/backups?${query}`).set(bearer(app.root.access_token));
      expect([query, response.status]).toEqual([query, 400]);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
  });

  it('still serves one backup by id beside the list', async () => {
    const one = await app
      .http()
      .get(`/api/v1/backups/${made.broken.id}`)
      .set(bearer(app.root.access_token))
      .expect(200);
    expect(one.body).toMatchObject({ id: made.broken.id, status: 'failed' });
    expect(one.body.database_name).toBeUndefined();
  });

  it('is readable by a viewer and by no one signed out', async () => {
    const viewer = await app.member('backups-viewer', 'viewer');
    expect(namesOf(await list('', viewer.access_token))).toEqual([made.last.id, made.broken.id, made.first.id]);
    expect((await app.http().get('/api/v1/backups')).status).toBe(401);
  });
});
