import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { bearer, type Session } from '../helpers/auth';
import { databaseFields, seededDatabase, sql, waitForJob } from '../helpers/engine';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';
import { Clock } from '../../src/modules/schedules/clock';

type Backup = { id: string; status: string; object_key: string | null; size_bytes: number | null };

/** The five documented counters of a stats body. */
const counters = (body: Record<string, unknown>) => ({
  total_databases: body.total_databases,
  total_backups_24h: body.total_backups_24h,
  successful_backups_24h: body.successful_backups_24h,
  failed_backups_24h: body.failed_backups_24h,
  total_storage_bytes: body.total_storage_bytes,
});

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
    tenantB = await app.newTenant('Beta', 'beta');
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
    expect(response.body).toMatchObject({
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
    expect(response.body).toMatchObject({
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
    expect(counters(after)).toEqual({
      ...counters(before),
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

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface BackupRecord {
  tenant: 'a' | 'b' | 'c';
  database: string;
  storage: string;
  status: 'success' | 'failed' | 'deleted' | 'pending' | 'running' | 'skipped';
  ageHours: number;
  size: number | null;
}

// The rest of GET /stats (issue 13) against rows inserted with SQL at known ages, with the clock fixed.
describe('GET /api/v1/stats: success rate, storages, databases, the daily series, tenant=all', () => {
  let app: SignedInApp;
  const NOW = new Date();
  const sessions: Record<'a' | 'b' | 'c', Session> = {} as never;
  const storages: Record<string, { id: string; tenant: 'a' | 'b' | 'c'; name: string }> = {};
  const databases: Record<string, { id: string; tenant: 'a' | 'b' | 'c'; name: string }> = {};
  const records: BackupRecord[] = [
    // Tenant a: inside and outside 24 h, 7 days and 30 days; removed ones; pending and running ones.
    { tenant: 'a', database: 'shop', storage: 'disk-1', status: 'success', ageHours: 1, size: 1000 },
    { tenant: 'a', database: 'shop', storage: 'disk-1', status: 'success', ageHours: 23, size: 2000 },
    { tenant: 'a', database: 'shop', storage: 'disk-1', status: 'failed', ageHours: 5, size: null },
    { tenant: 'a', database: 'shop', storage: 'disk-1', status: 'success', ageHours: 25, size: 4000 },
    { tenant: 'a', database: 'shop', storage: 'disk-1', status: 'deleted', ageHours: 30, size: 8000 },
    { tenant: 'a', database: 'shop', storage: 'disk-1', status: 'success', ageHours: 72, size: 16000 },
    { tenant: 'a', database: 'shop', storage: 'disk-1', status: 'failed', ageHours: 6 * 24, size: null },
    { tenant: 'a', database: 'shop', storage: 'disk-1', status: 'success', ageHours: 10 * 24, size: 32000 },
    { tenant: 'a', database: 'shop', storage: 'disk-1', status: 'failed', ageHours: 12 * 24, size: null },
    { tenant: 'a', database: 'shop', storage: 'disk-1', status: 'success', ageHours: 40 * 24, size: 64000 },
    { tenant: 'a', database: 'crm', storage: 'disk-2', status: 'success', ageHours: 2, size: 500 },
    { tenant: 'a', database: 'crm', storage: 'disk-2', status: 'deleted', ageHours: 10, size: 700 },
    { tenant: 'a', database: 'crm', storage: 'disk-2', status: 'running', ageHours: 0.5, size: null },
    { tenant: 'a', database: 'crm', storage: 'disk-2', status: 'pending', ageHours: 0.2, size: null },
    { tenant: 'a', database: 'crm', storage: 'disk-2', status: 'failed', ageHours: 0.75, size: null },
    // Tenant b and c: never counted for a.
    { tenant: 'b', database: 'other', storage: 'disk-b', status: 'success', ageHours: 1, size: 111 },
    { tenant: 'b', database: 'other', storage: 'disk-b', status: 'failed', ageHours: 50, size: null },
    { tenant: 'b', database: 'other', storage: 'disk-b', status: 'deleted', ageHours: 2, size: 222 },
    { tenant: 'c', database: 'lone', storage: 'disk-c', status: 'success', ageHours: 48, size: 333 },
    { tenant: 'c', database: 'lone', storage: 'disk-c', status: 'skipped', ageHours: 3, size: null },
  ];
  const get = (token: string, query: Record<string, string> = {}) =>
    app.http().get('/api/v1/stats').query(query).set(bearer(token));
  const createdAt = (r: BackupRecord) => new Date(NOW.getTime() - r.ageHours * HOUR);
  const finishedAt = (r: BackupRecord) => new Date(createdAt(r).getTime() + 30_000);
  const succeeded = (r: BackupRecord) => r.status === 'success' || r.status === 'deleted';
  const day = (at: Date) => at.toISOString().slice(0, 10);

  type TenantKey = 'a' | 'b' | 'c';
  /** What GET /stats must answer for `tenants`, computed here from the records. */
  function expected(tenants: TenantKey[]) {
    const mine = records.filter((r) => tenants.includes(r.tenant));
    const recent = mine.filter((r) => r.ageHours < 24);
    const week = mine.filter((r) => r.ageHours < 7 * 24);
    const weekOk = week.filter(succeeded).length;
    const weekFailed = week.filter((r) => r.status === 'failed').length;
    const kept = mine.filter((r) => r.status === 'success');
    const daily = Array.from({ length: 30 }, (_, i) => {
      const date = day(new Date(NOW.getTime() - (29 - i) * DAY));
      const that = mine.filter((r) => day(createdAt(r)) === date);
      return {
        date,
        successes: that.filter(succeeded).length,
        failures: that.filter((r) => r.status === 'failed').length,
        bytes: that.filter(succeeded).reduce((sum, r) => sum + (r.size ?? 0), 0),
      };
    });
    return {
      counters: {
        total_backups_24h: recent.length,
        successful_backups_24h: recent.filter(succeeded).length,
        failed_backups_24h: recent.filter((r) => r.status === 'failed').length,
        total_storage_bytes: kept.reduce((sum, r) => sum + (r.size ?? 0), 0),
      },
      rate: weekOk + weekFailed ? weekOk / (weekOk + weekFailed) : null,
      storages: Object.entries(storages)
        .filter(([, storage]) => tenants.includes(storage.tenant))
        .map(([name, storage]) => ({
          id: storage.id,
          tenant_id: sessions[storage.tenant].tenant.id,
          name,
          bytes: kept.filter((r) => r.storage === name).reduce((sum, r) => sum + (r.size ?? 0), 0),
          objects: kept.filter((r) => r.storage === name).length,
        })),
      daily,
    };
  }
  const byId = <T extends { id: string }>(items: T[]) => [...items].sort((x, y) => x.id.localeCompare(y.id));

  beforeAll(async () => {
    app = await startSignedIn({ APP_ROLE: 'api' });
    jest.spyOn(app.api.app.get(Clock), 'now').mockImplementation(() => new Date(NOW));
    sessions.a = app.root;
    for (const [key, slug] of [
      ['b', 'beta-stats'],
      ['c', 'gamma-stats'],
    ] as const) {
      sessions[key] = await app.newTenant(slug, slug);
    }
    const layout: { tenant: 'a' | 'b' | 'c'; storage: string; databases: Record<string, unknown>[] }[] = [
      {
        tenant: 'a',
        storage: 'disk-1',
        databases: [
          { name: 'shop', schedule: '0 * * * *' },
          { name: 'idle', max_age_hours: 12 },
        ],
      },
      { tenant: 'a', storage: 'disk-2', databases: [{ name: 'crm' }] },
      { tenant: 'a', storage: 'disk-empty', databases: [] },
      { tenant: 'b', storage: 'disk-b', databases: [{ name: 'other' }] },
      { tenant: 'c', storage: 'disk-c', databases: [{ name: 'lone' }] },
    ];
    for (const { tenant, storage, databases: dbs } of layout) {
      const token = sessions[tenant].access_token;
      const created = await app
        .http()
        .post('/api/v1/storage')
        .set(bearer(token))
        .send({ name: storage, provider: 'local' })
        .expect(201);
      storages[storage] = { id: created.body.id, tenant, name: storage };
      for (const fields of dbs) {
        const db = await app
          .http()
          .post('/api/v1/databases')
          .set(bearer(token))
          .send({ host: '127.0.0.1', dbname: 'app', user: 'app', storage_id: created.body.id, ...fields })
          .expect(201);
        databases[fields.name as string] = { id: db.body.id, tenant, name: fields.name as string };
      }
    }
    for (const [i, r] of records.entries()) {
      const ended = ['success', 'failed', 'deleted', 'skipped'].includes(r.status);
      await sql(
        app.api.databaseUrl,
        `INSERT INTO backups (id, tenant_id, database_id, storage_id, status, trigger, name, created_at, finished_at,
                              size_bytes, deleted_at, updated_at)
         VALUES (gen_random_uuid(), $1, $2, $3, $4::job_status, 'manual', $5, $6, $7, $8, $9, now())`,
        [
          sessions[r.tenant].tenant.id,
          databases[r.database].id,
          storages[r.storage].id,
          r.status,
          `stats-${i}`,
          createdAt(r),
          ended ? finishedAt(r) : null,
          r.size,
          r.status === 'deleted' ? NOW : null,
        ],
      );
    }
  }, 120_000);
  afterAll(() => app?.api.close());

  it('counts a tenant’s own records only: counters, 7-day success rate, storages', async () => {
    for (const tenant of ['a', 'b', 'c'] as const) {
      const want = expected([tenant]);
      const { body } = await get(sessions[tenant].access_token).expect(200);
      expect(counters(body)).toEqual({
        total_databases: Object.values(databases).filter((d) => d.tenant === tenant).length,
        ...want.counters,
      });
      if (want.rate === null) expect(body.success_rate_7d).toBeNull();
      else expect(body.success_rate_7d).toBeCloseTo(want.rate, 4);
      expect(byId(body.storages)).toEqual(byId(want.storages));
      expect(body.daily).toEqual(want.daily);
    }
    // Tenant a, spelled out: 8 of the last day (pending and running ones too), 7 successes and 3 failures in 7 days.
    const { body } = await get(sessions.a.access_token).expect(200);
    expect(counters(body)).toEqual({
      total_databases: 3,
      total_backups_24h: 8,
      successful_backups_24h: 4,
      failed_backups_24h: 2,
      total_storage_bytes: 1000 + 2000 + 4000 + 16000 + 32000 + 64000 + 500,
    });
    expect(body.success_rate_7d).toBeCloseTo(7 / 10, 4);
    expect(body.storages).toEqual([
      { id: storages['disk-1'].id, tenant_id: sessions.a.tenant.id, name: 'disk-1', bytes: 119000, objects: 6 },
      { id: storages['disk-2'].id, tenant_id: sessions.a.tenant.id, name: 'disk-2', bytes: 500, objects: 1 },
      { id: storages['disk-empty'].id, tenant_id: sessions.a.tenant.id, name: 'disk-empty', bytes: 0, objects: 0 },
    ]);
  });

  it('lists each database with its newest outcomes, next run and protection', async () => {
    const { body } = await get(sessions.a.access_token).expect(200);
    const newest = (name: string, ok: (r: BackupRecord) => boolean) => {
      const times = records.filter((r) => r.database === name && ok(r)).map((r) => finishedAt(r).getTime());
      return times.length ? new Date(Math.max(...times)).toISOString() : null;
    };
    const nextHour = new Date(Math.floor(NOW.getTime() / HOUR) * HOUR + HOUR).toISOString();
    expect(body.databases).toEqual([
      {
        id: databases.crm.id,
        tenant_id: sessions.a.tenant.id,
        name: 'crm',
        last_success_at: newest('crm', (r) => r.status === 'success'),
        last_failure_at: newest('crm', (r) => r.status === 'failed'),
        next_run_at: null,
        protection: 'failing',
        max_age_hours: null,
      },
      {
        id: databases.idle.id,
        tenant_id: sessions.a.tenant.id,
        name: 'idle',
        last_success_at: null,
        last_failure_at: null,
        next_run_at: null,
        protection: 'ok',
        max_age_hours: 12,
      },
      {
        id: databases.shop.id,
        tenant_id: sessions.a.tenant.id,
        name: 'shop',
        last_success_at: newest('shop', (r) => r.status === 'success'),
        last_failure_at: newest('shop', (r) => r.status === 'failed'),
        next_run_at: nextHour,
        protection: 'ok',
        max_age_hours: 2,
      },
    ]);
    expect(body.databases[2].last_success_at).toBe(finishedAt(records[0]).toISOString());
    // The list of databases says the same.
    const list = await app.http().get('/api/v1/databases').set(bearer(sessions.a.access_token)).expect(200);
    expect(
      list.body.items.map((d: Record<string, unknown>) => [
        d.name,
        d.protection,
        d.effective_max_age_hours,
        d.max_age_hours,
      ]),
    ).toEqual([
      ['crm', 'failing', null, null],
      ['idle', 'ok', 12, 12],
      ['shop', 'ok', 2, null],
    ]);
  });

  it('the daily series: 30 consecutive UTC days, oldest first, zeros included, each record on its day', async () => {
    const { body } = await get(sessions.a.access_token).expect(200);
    expect(body.daily).toHaveLength(30);
    for (const [i, entry] of (body.daily as { date: string }[]).entries())
      expect(entry.date).toBe(day(new Date(NOW.getTime() - (29 - i) * DAY)));
    expect(body.daily[29].date).toBe(day(NOW));
    const on = (r: BackupRecord) => body.daily.find((d: { date: string }) => d.date === day(createdAt(r)));
    // The 10-day-old success and the 12-day-old failure are on their days, alone there.
    expect(on(records[7])).toEqual({ date: day(createdAt(records[7])), successes: 1, failures: 0, bytes: 32000 });
    expect(on(records[8])).toEqual({ date: day(createdAt(records[8])), successes: 0, failures: 1, bytes: 0 });
    // The 40-day-old one is in no day; days without backups are there with zeros.
    expect(on(records[9])).toBeUndefined();
    expect(
      body.daily.filter((d: { successes: number; failures: number }) => !d.successes && !d.failures).length,
    ).toBeGreaterThan(20);
    expect(body.daily).toEqual(expected(['a']).daily);
  });

  it('tenant=all: the instance admin gets every tenant summed', async () => {
    const want = expected(['a', 'b', 'c']);
    const { body } = await get(app.root.access_token, { tenant: 'all' }).expect(200);
    expect(counters(body)).toEqual({ total_databases: Object.keys(databases).length, ...want.counters });
    expect(body.success_rate_7d).toBeCloseTo(want.rate!, 4);
    expect(byId(body.storages)).toEqual(byId(want.storages));
    expect(body.storages).toHaveLength(Object.keys(storages).length);
    expect(byId(body.databases).map((d: { id: string }) => d.id)).toEqual(
      byId(Object.values(databases)).map((d) => d.id),
    );
    expect(body.daily).toEqual(want.daily);
    // The sums of the tenants' own answers.
    let total = 0;
    for (const tenant of ['a', 'b', 'c'] as const)
      total += (await get(sessions[tenant].access_token).expect(200)).body.total_storage_bytes;
    expect(body.total_storage_bytes).toBe(total);
  });

  it('tenant=all from anyone but the instance admin: 403; another value: 400 naming the field', async () => {
    for (const role of ['owner', 'viewer']) {
      const member = await app.member(`stats-${role}`, role);
      const refused = await get(member.access_token, { tenant: 'all' }).expect(403);
      expect(refused.body).toMatchObject({ code: 'FORBIDDEN' });
      await get(member.access_token).expect(200);
    }
    const bad = await get(app.root.access_token, { tenant: 'everyone' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['tenant']);
  });
});
