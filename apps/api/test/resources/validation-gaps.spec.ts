import { bearer } from '../helpers/auth';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

// Values the validation let through although they mean nothing (issue 9, finding 11).
describe('validation refuses schedules that never run, dropped time zones, deceptive names and port: null', () => {
  let s: SignedInApp;
  let auth: Record<string, string>;
  let storageId: string;
  let databaseId: string;

  beforeAll(async () => {
    s = await startSignedIn();
    auth = bearer(s.root.access_token);
    storageId = (
      await s.http().post('/api/v1/storage').set(auth).send({ name: 'local', provider: 'local' }).expect(201)
    ).body.id;
    databaseId = (await s.http().post('/api/v1/databases').set(auth).send(database('base')).expect(201)).body.id;
  });
  afterAll(() => s.api.close());

  let counter = 0;
  function database(name = `db-${++counter}`, extra: Record<string, unknown> = {}) {
    return { name, host: '127.0.0.1', port: 1, dbname: 'x', user: 'x', storage_id: storageId, ...extra };
  }
  /** The fields named, each once (a field may fail several constraints). */
  const fieldsOf = (body: { errors: { field: string }[] }) => [...new Set(body.errors.map((error) => error.field))];

  it.each([
    ['0 0 30 2 *', 'never fires'],
    ['0 0 31 4,6,9,11 *', 'never fires'],
    ['*/999999999999 * * * *', 'minute step'],
    ['*/61 * * * *', 'minute step'],
    ['0 */25 * * *', 'hour step'],
    ['0 0 * * */8', 'day-of-week step'],
    ['0 0 1 */0 *', 'month step'],
    ['0 3 * *', 'must be a 5-field cron expression'],
    ['0 3 * * * *', 'must be a 5-field cron expression'],
    ['61 3 * * *', 'must be a 5-field cron expression'],
  ])('schedule %j is refused (%s), on create and on update', async (schedule, reason) => {
    const created = await s.http().post('/api/v1/databases').set(auth).send(database(undefined, { schedule }));
    expect(created.status).toBe(400);
    expect(created.body.errors).toEqual([{ field: 'schedule', message: expect.stringContaining(reason) }]);
    const updated = await s.http().patch(`/api/v1/databases/${databaseId}`).set(auth).send({ schedule });
    expect([updated.status, fieldsOf(updated.body)]).toEqual([400, ['schedule']]);
  });

  it.each(['0 3 * * *', '*/15 * * * *', '0 0 29 2 *', '0 9 * jan-mar mon', '30 2 * * 1-5', '0 0 1 1 *'])(
    'schedule %j is accepted',
    async (schedule) => {
      const response = await s.http().patch(`/api/v1/databases/${databaseId}`).set(auth).send({ schedule });
      expect([response.status, response.body.schedule ?? response.body]).toEqual([200, schedule]);
    },
  );

  it.each([
    'US/Pacific-New',
    'Canada/East-Saskatchewan',
    'SystemV/AST4',
    'Mars/Olympus',
    'europe/paris',
    'utc',
    '+01:00',
  ])('time zone %j is refused', async (timezone) => {
    const response = await s.http().post('/api/v1/databases').set(auth).send(database(undefined, { timezone }));
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: 'timezone', message: 'timezone must be a time zone of the tz database, e.g. Europe/Paris' },
    ]);
  });

  it.each(['UTC', 'Etc/UTC', 'Europe/Paris', 'Europe/Kyiv', 'Europe/Kiev', 'Asia/Kolkata', 'US/Pacific', 'Etc/GMT+5'])(
    'time zone %j is accepted',
    async (timezone) => {
      const response = await s.http().patch(`/api/v1/databases/${databaseId}`).set(auth).send({ timezone });
      expect([response.status, response.body.timezone]).toEqual([200, timezone]);
    },
  );

  const deceptive = [
    ['right-to-left override', 'invoice\u202Efdp.exe'],
    ['left-to-right embedding', '\u202Aprod'],
    ['first-strong isolate', 'prod\u2068x\u2069'],
    ['zero-width space', 'pro\u200Bd'],
    ['zero-width joiner', 'pro\u200Dd'],
    ['byte order mark', '\uFEFFprod'],
    ['control character', 'prod\u0007'],
    ['only spaces', '   '],
    ['empty', ''],
  ];

  it.each(deceptive)('a name with a %s is refused everywhere names are given', async (_what, name) => {
    const attempts = [
      s.http().post('/api/v1/databases').set(auth).send(database(name)),
      s.http().patch(`/api/v1/databases/${databaseId}`).set(auth).send({ name }),
      s.http().post('/api/v1/storage').set(auth).send({ name, provider: 'local' }),
      s
        .http()
        .post('/api/v1/notifications')
        .set(auth)
        .send({ name, discord_webhook_url: 'https://discord.com/api/webhooks/1/abc' }),
      s.http().post('/api/v1/api-tokens').set(auth).send({ name, role: 'viewer' }),
      s
        .http()
        .post('/api/v1/tenants')
        .set(auth)
        .send({ name, slug: `t-${++counter}` }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect([response.status, fieldsOf(response.body)]).toEqual([400, ['name']]);
    }
    const profile = await s.http().patch('/api/v1/users/me').set(auth).send({ display_name: name });
    expect([profile.status, fieldsOf(profile.body)]).toEqual([400, ['display_name']]);
    const member = await s
      .http()
      .post('/api/v1/members')
      .set(auth)
      .send({ username: `m-${++counter}`, email: `m${counter}@example.com`, role: 'viewer', display_name: name });
    expect([member.status, fieldsOf(member.body)]).toEqual([400, ['display_name']]);
  });

  it('names in any script, with spaces, dashes and emoji inside, are accepted', async () => {
    for (const name of ['Données – prod', 'база данных', 'ไทย', 'مخزن', 'prod 🐘', '東京 primary']) {
      const response = await s.http().post('/api/v1/storage').set(auth).send({ name, provider: 'local' });
      expect([response.status, response.body.name]).toEqual([201, name]);
    }
  });

  it('port: null is refused instead of silently becoming 5432; omitted, it is 5432', async () => {
    const created = await s
      .http()
      .post('/api/v1/databases')
      .set(auth)
      .send(database(undefined, { port: null }));
    expect([created.status, fieldsOf(created.body)]).toEqual([400, ['port']]);
    const updated = await s.http().patch(`/api/v1/databases/${databaseId}`).set(auth).send({ port: null });
    expect([updated.status, fieldsOf(updated.body)]).toEqual([400, ['port']]);
    const { port: _port, ...withoutPort } = database();
    const defaulted = await s.http().post('/api/v1/databases').set(auth).send(withoutPort);
    expect([defaulted.status, defaulted.body.port]).toEqual([201, 5432]);
  });

  it('expires_at: null is refused (leave it out for a token that never expires)', async () => {
    const response = await s
      .http()
      .post('/api/v1/api-tokens')
      .set(auth)
      .send({ name: 't', role: 'viewer', expires_at: null });
    expect([response.status, fieldsOf(response.body)]).toEqual([400, ['expires_at']]);
  });

  it('endpoint: null removes a storage endpoint, and the provider rules see it removed', async () => {
    const keys = { access_key: 'AKIAEXAMPLE', secret_key: 'secret' };
    const s3 = await s
      .http()
      .post('/api/v1/storage')
      .set(auth)
      .send({ name: 's3', provider: 's3', bucket: 'bkt', endpoint: 'http://127.0.0.1:9000', ...keys });
    expect([s3.status, s3.body.endpoint]).toEqual([201, 'http://127.0.0.1:9000']);
    const cleared = await s.http().patch(`/api/v1/storage/${s3.body.id}`).set(auth).send({ endpoint: null });
    expect([cleared.status, cleared.body.endpoint]).toEqual([200, null]);

    const r2 = await s
      .http()
      .post('/api/v1/storage')
      .set(auth)
      .send({ name: 'r2', provider: 'r2', bucket: 'bkt', endpoint: 'https://acct.r2.cloudflarestorage.com', ...keys });
    expect(r2.status).toBe(201);
    const refused = await s.http().patch(`/api/v1/storage/${r2.body.id}`).set(auth).send({ endpoint: null });
    expect([refused.status, refused.body.errors]).toEqual([
      400,
      [{ field: 'endpoint', message: 'endpoint is required for r2' }],
    ]);
  });
});
