import { Client } from 'pg';
import { bearer } from '../helpers/auth';
import { uniqueWebhook, webhookCalls } from '../helpers/discord';
import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { backUp, databaseFields, seededDatabase, sql } from '../helpers/engine';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';
import { Clock } from '../../src/modules/schedules/clock';
import { Scheduler } from '../../src/modules/schedules/scheduler';
import { StalenessService } from '../../src/modules/staleness/staleness.service';

const HOUR = 3_600_000;

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Embed {
  title: string;
  description: string;
}
const embedsOf = async (path: string) =>
  (await webhookCalls(path)).flatMap((call) => (call.body as { embeds?: Embed[] }).embeds ?? []);

// Issue 13: a database whose newest success is too old turns `stale`, is told once, and once again when it recovers.
describe('staleness alerts', () => {
  let app: SignedInApp;
  let staleness: StalenessService;
  const start = Date.now();
  let offset = 0;
  let storageId: string;
  const auth = () => bearer(app.root.access_token);

  /** A database on an hourly schedule notifying `webhook`, with one success finished at `at`. */
  async function scheduledDatabase(name: string, webhook: string, extra: Record<string, unknown> = {}) {
    const notification = await app
      .http()
      .post('/api/v1/notifications')
      .set(auth())
      .send({ name, discord_webhook_url: webhook, on_success: false })
      .expect(201);
    const created = await app
      .http()
      .post('/api/v1/databases')
      .set(auth())
      .send({
        name,
        host: '127.0.0.1',
        dbname: 'app',
        user: 'app',
        storage_id: storageId,
        notification_id: notification.body.id,
        schedule: '0 * * * *',
        ...extra,
      })
      .expect(201);
    return created.body.id as string;
  }
  async function succeededAt(databaseId: string, at: Date) {
    await sql(
      app.api.databaseUrl,
      `INSERT INTO backups (id, tenant_id, database_id, storage_id, status, trigger, name, created_at, started_at,
                            finished_at, size_bytes, updated_at)
       VALUES (gen_random_uuid(), $1, $2, $3, 'success', 'manual', $4, $5, $5, $5, 100, now())`,
      [app.root.tenant.id, databaseId, storageId, `ok-${at.getTime()}`, at],
    );
  }
  const database = async (id: string) => (await app.http().get(`/api/v1/databases/${id}`).set(auth()).expect(200)).body;
  const protectionInStats = async (id: string) =>
    (await app.http().get('/api/v1/stats').set(auth()).expect(200)).body.databases.find(
      (d: { id: string }) => d.id === id,
    );
  const entries = async (event: string, id: string) =>
    (
      await app.http().get('/api/v1/activity-logs').query({ event, limit: 100 }).set(auth()).expect(200)
    ).body.items.filter((entry: { resource_id: string }) => entry.resource_id === id);

  beforeAll(async () => {
    // Workers run (notifications are delivered by the queue); the periodic check every 3 s.
    app = await startSignedIn({ APP_ROLE: 'all', STALENESS_CHECK_MINUTES: '0.05', JOB_POLL_SECONDS: '0.5' });
    jest.spyOn(app.api.app.get(Clock), 'now').mockImplementation(() => new Date(Date.now() + offset));
    // The scheduler would start the slots the moved clock makes due: not under test here.
    jest.spyOn(app.api.app.get(Scheduler), 'runDue').mockResolvedValue(undefined);
    staleness = app.api.app.get(StalenessService);
    const storage = await app
      .http()
      .post('/api/v1/storage')
      .set(auth())
      .send({ name: 'disk', provider: 'local' })
      .expect(201);
    storageId = storage.body.id;
  }, 60_000);
  afterAll(() => app?.api.close());

  it('stale past twice the interval (told once, whatever the checks), ok after a new success (told once)', async () => {
    const hook = uniqueWebhook();
    const id = await scheduledDatabase('orders', hook.url);
    // The live events every API process relays to its tenant's open streams.
    const listener = new Client({ connectionString: app.api.databaseUrl });
    const protectionEvents: { protection: string; previous: string | null }[] = [];
    await listener.connect();
    listener.on('notification', (message) => {
      const envelope = JSON.parse(message.payload ?? '{}') as { e: string; d: { database_id: string } };
      if (envelope.e === 'database.protection' && envelope.d.database_id === id) {
        protectionEvents.push(envelope.d as unknown as { protection: string; previous: string | null });
      }
    });
    await listener.query('LISTEN dumpstation_events');
    await succeededAt(id, new Date(start));

    offset = 1.5 * HOUR;
    await staleness.checkAll();
    expect(await database(id)).toMatchObject({ protection: 'ok', effective_max_age_hours: 2, max_age_hours: null });
    expect((await protectionInStats(id)).protection).toBe('ok');

    // Past 2 × the hourly interval: stale, in the database and in the stats.
    offset = 2.5 * HOUR;
    expect(await database(id)).toMatchObject({ protection: 'stale', effective_max_age_hours: 2 });
    expect(await protectionInStats(id)).toMatchObject({ protection: 'stale', max_age_hours: 2 });
    // Several checks, some at once (as replicas would), besides the periodic one.
    await Promise.all([staleness.checkAll(), staleness.checkAll(), staleness.checkAll()]);
    await staleness.checkAll();
    await until(async () => (await embedsOf(hook.path)).length >= 1, 'the stale notification');
    await pause(4_000);
    await staleness.checkAll();
    let embeds = await embedsOf(hook.path);
    expect(embeds).toHaveLength(1);
    expect(embeds[0].title).toBe('orders is stale');
    expect(embeds[0].description).toMatch(
      /^orders is stale: newest successful backup is 2 h 3\d min old, more than the allowed 2 h$/,
    );
    const stale = await entries('database.stale', id);
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({ level: 'Warning', outcome: 'failure', resource_type: 'Database' });
    expect(stale[0].details).toMatchObject({ name: 'orders', max_age_hours: 2 });
    const [row] = await sql(app.api.databaseUrl, `SELECT staleness_notified FROM databases WHERE id = $1`, [id]);
    expect(row.staleness_notified).toBe('stale');

    // A new success: ok again, one recovery message and entry.
    await succeededAt(id, new Date(Date.now() + offset));
    expect(await database(id)).toMatchObject({ protection: 'ok' });
    await Promise.all([staleness.checkAll(), staleness.checkAll()]);
    await until(async () => (await embedsOf(hook.path)).length >= 2, 'the recovery notification');
    await pause(4_000);
    await staleness.checkAll();
    embeds = await embedsOf(hook.path);
    expect(embeds).toHaveLength(2);
    expect(embeds[1].title).toBe('orders is protected again');
    expect(embeds[1].description).toMatch(/^orders is back to ok: newest successful backup is \d+ min old/);
    expect(await entries('database.recovered', id)).toHaveLength(1);
    expect(await entries('database.stale', id)).toHaveLength(1);
    const [after] = await sql(app.api.databaseUrl, `SELECT staleness_notified FROM databases WHERE id = $1`, [id]);
    expect(after.staleness_notified).toBe('ok');
    // One live event per change, like the notifications.
    await until(async () => protectionEvents.length >= 2, 'the protection events');
    await listener.end();
    expect(protectionEvents).toEqual([
      expect.objectContaining({ protection: 'stale', previous: 'ok' }),
      expect.objectContaining({ protection: 'ok', previous: 'stale' }),
    ]);
  }, 60_000);

  it('max_age_hours overrides the schedule; the periodic job alone notifies (registered on its queue)', async () => {
    // The clock back to now: a database scheduled now is not stale at once.
    offset = 0;
    const hook = uniqueWebhook();
    const id = await scheduledDatabase('ledger', hook.url, { max_age_hours: 1 });
    expect(await database(id)).toMatchObject({ max_age_hours: 1, effective_max_age_hours: 1 });
    // 1.5 h old under a 1 h maximum (the hourly schedule alone would allow 2 h). No direct check here.
    await succeededAt(id, new Date(Date.now() + offset - 1.5 * HOUR));
    expect((await database(id)).protection).toBe('stale');
    await until(async () => (await embedsOf(hook.path)).length >= 1, 'the periodic check', 20_000);
    expect((await embedsOf(hook.path))[0].description).toMatch(
      /^ledger is stale: newest successful backup is 1 h 30 min old, more than the allowed 1 h$/,
    );
    const jobs = await sql(app.api.databaseUrl, `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'staleness'`);
    expect(jobs[0].n).toBeGreaterThan(0);
    // PATCH and PUT take it; out of range is a 400 naming the field.
    const cleared = await app.http().patch(`/api/v1/databases/${id}`).set(auth()).send({ max_age_hours: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ max_age_hours: null, effective_max_age_hours: 2, protection: 'ok' });
    for (const bad of [0, 8761, 1.5, '3']) {
      const refused = await app.http().patch(`/api/v1/databases/${id}`).set(auth()).send({ max_age_hours: bad });
      expect(refused.status).toBe(400);
      expect([...new Set(refused.body.errors.map((e: { field: string }) => e.field))]).toEqual(['max_age_hours']);
    }
    const current = await database(id);
    const put = await app
      .http()
      .put(`/api/v1/databases/${id}`)
      .set(auth())
      .send({
        name: current.name,
        host: current.host,
        dbname: current.dbname,
        user: current.user,
        storage_id: storageId,
        schedule: current.schedule,
        max_age_hours: 8760,
      })
      .expect(200);
    expect(put.body).toMatchObject({ max_age_hours: 8760, effective_max_age_hours: 8760 });
  }, 60_000);
});

// Right after a successful backup the database is checked on its own: the recovery does not wait for the periodic check.
describe('staleness after a backup', () => {
  let app: SignedInApp;
  let pg: RunningPostgres;
  const auth = () => bearer(app.root.access_token);

  beforeAll(async () => {
    // The periodic check off: only the check queued by the backup runs (and the direct one below).
    [app, pg] = await Promise.all([
      startSignedIn({ APP_ROLE: 'all', STALENESS_CHECK_MINUTES: '0', JOB_POLL_SECONDS: '0.5' }),
      startPostgres({ major: 14 }),
    ]);
    jest.spyOn(app.api.app.get(Scheduler), 'runDue').mockResolvedValue(undefined);
  }, 120_000);
  afterAll(async () => {
    await app?.api.close();
    await pg?.stop();
  });

  it('a stale database that backs up successfully is told back ok at once', async () => {
    const source = await seededDatabase(pg);
    const hook = uniqueWebhook();
    const storage = await app
      .http()
      .post('/api/v1/storage')
      .set(auth())
      .send({ name: 'disk', provider: 'local' })
      .expect(201);
    const notification = await app
      .http()
      .post('/api/v1/notifications')
      .set(auth())
      .send({ name: 'alerts', discord_webhook_url: hook.url, on_success: false })
      .expect(201);
    const created = await app
      .http()
      .post('/api/v1/databases')
      .set(auth())
      .send({
        name: 'shop',
        ...databaseFields(pg, source.dbname),
        storage_id: storage.body.id,
        notification_id: notification.body.id,
        schedule: '0 * * * *',
      })
      .expect(201);
    const id = created.body.id as string;
    // Scheduled 3 hours ago and never backed up: stale (twice the hourly interval is 2 h).
    await sql(
      app.api.databaseUrl,
      `UPDATE databases SET schedule_updated_at = now() - interval '3 hours' WHERE id = $1`,
      [id],
    );
    expect((await app.http().get(`/api/v1/databases/${id}`).set(auth()).expect(200)).body.protection).toBe('stale');
    await app.api.app.get(StalenessService).checkAll();
    await until(async () => (await embedsOf(hook.path)).length >= 1, 'the stale notification');
    expect((await embedsOf(hook.path))[0].description).toMatch(
      /^shop is stale: no successful backup in the 3 h since it was scheduled, more than the allowed 2 h$/,
    );

    expect(await backUp(app, id)).toMatchObject({ status: 'success' });
    await until(async () => (await embedsOf(hook.path)).length >= 2, 'the recovery notification');
    const embeds = await embedsOf(hook.path);
    expect(embeds).toHaveLength(2);
    expect(embeds[1].title).toBe('shop is protected again');
    expect((await app.http().get(`/api/v1/databases/${id}`).set(auth()).expect(200)).body.protection).toBe('ok');
  }, 90_000);
});
