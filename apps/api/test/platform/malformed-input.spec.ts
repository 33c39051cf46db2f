import request from 'supertest';
import { bearer } from '../helpers/auth';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

// Input an attacker sends to make the API fail (issue 9, finding 5): each one must be a 400 in
// the common shape naming the field, never a 500, and the process must go on answering.
describe('malformed input is refused at the edge with 400 naming the field', () => {
  let s: SignedInApp;
  let auth: Record<string, string>;
  let databaseId: string;
  let notificationId: string;
  let storageId: string;

  beforeAll(async () => {
    s = await startSignedIn();
    auth = bearer(s.root.access_token);
    const storage = await s.http().post('/api/v1/storage').set(auth).send({ name: 'local', provider: 'local' });
    storageId = storage.body.id;
    const notification = await s
      .http()
      .post('/api/v1/notifications')
      .set(auth)
      .send({ name: 'ops', discord_webhook_url: 'https://discord.com/api/webhooks/1/abc' });
    notificationId = notification.body.id;
    const database = await s
      .http()
      .post('/api/v1/databases')
      .set(auth)
      .send({ name: 'db', host: '127.0.0.1', port: 1, dbname: 'x', user: 'x', storage_id: storageId });
    databaseId = database.body.id;
    expect([storage.status, notification.status, database.status]).toEqual([201, 201, 201]);
  });
  afterAll(() => s.api.close());

  /** The answer is a 400 VALIDATION_FAILED naming `field`, and the API still serves the next request. */
  async function expectRefused(response: request.Response, field: string) {
    expect({ status: response.status, body: response.body }).toMatchObject({
      status: 400,
      body: { status: 400, code: 'VALIDATION_FAILED', message: expect.any(String) },
    });
    expect(response.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
    expect((await s.http().get('/api/v1/health')).status).toBe(200);
  }

  const deep = (depth: number, leaf = '"x"') => '['.repeat(depth) + leaf + ']'.repeat(depth);
  const json = { 'content-type': 'application/json' } as const;

  it('JSON nested 10,000 deep (unauthenticated too) is refused, not a stack overflow', async () => {
    const login = await s
      .http()
      .post('/api/v1/auth/login')
      .set(json)
      .send(`{"username": ${deep(10_000)}}`);
    await expectRefused(login, 'username');
    expect(login.body.errors[0].message).toBe('username is nested deeper than 32 levels');

    const rootArray = await s.http().post('/api/v1/auth/login').set(json).send(deep(10_000));
    await expectRefused(rootArray, 'body');

    // A deep object inside an authenticated body, just past the limit.
    let nested = '{}';
    for (let i = 0; i < 40; i++) nested = `{"a": ${nested}}`;
    const restore = await s
      .http()
      .post(`/api/v1/backups/${databaseId}/restore`)
      .set(auth)
      .set(json)
      .send(`{"target": ${nested}}`);
    await expectRefused(restore, 'target');
  });

  it('a NUL character in any string of a body is refused, named by its path', async () => {
    await expectRefused(await s.http().post('/api/v1/auth/login').send({ username: 'root\u0000' }), 'username');
    await expectRefused(
      await s.http().post('/api/v1/auth/verify').send({ username: 'root', otp: '123456\u0000' }),
      'otp',
    );
    await expectRefused(
      await s.http().post('/api/v1/storage').set(auth).send({ name: 'a\u0000b', provider: 'local' }),
      'name',
    );
    await expectRefused(
      await s
        .http()
        .patch(`/api/v1/databases/${databaseId}`)
        .set(auth)
        .send({ include_schemas: ['public', 'x\u0000'] }),
      'include_schemas.1',
    );
    await expectRefused(
      await s
        .http()
        .post(`/api/v1/backups/${databaseId}/restore`)
        .set(auth)
        .send({ target_host: 'h', target_dbname: 'd', target_user: 'u', target_password: '\u0000' }),
      'target_password',
    );
  });

  it('a NUL character in the query string or the path is refused', async () => {
    await expectRefused(await s.http().get('/api/v1/activity-logs?action=auth.login%00').set(auth), 'action');
    await expectRefused(await s.http().get('/api/v1/activity-logs?resource_type=%00').set(auth), 'resource_type');
    await expectRefused(await s.http().get('/api/v1/databases/%00').set(auth), 'path');
    await expectRefused(await s.http().get(`/api/v1/databases/${databaseId}%00`).set(auth), 'path');
  });

  it.each([
    ['99999999999999999999', 'page'],
    ['1.69e308', 'page'],
    ['1e3', 'page'],
    ['1000001', 'page'],
    ['0', 'page'],
    ['-1', 'page'],
    ['1.5', 'page'],
    ['0x10', 'page'],
    ['abc', 'page'],
  ])('?page=%s is refused naming page', async (value) => {
    await expectRefused(await s.http().get(`/api/v1/databases?page=${value}`).set(auth), 'page');
    await expectRefused(await s.http().get(`/api/v1/databases/${databaseId}/backups?page=${value}`).set(auth), 'page');
  });

  it.each(['101', '0', '99999999999999999999', '2.5', ''])('?limit=%s is refused naming limit', async (value) => {
    await expectRefused(await s.http().get(`/api/v1/activity-logs?limit=${value}`).set(auth), 'limit');
  });

  it('the largest page and limit are served', async () => {
    const response = await s.http().get('/api/v1/databases?page=1000000&limit=100').set(auth);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ items: [], page: 1_000_000, limit: 100 });
  });

  it('null for a field that cannot be null is refused in PATCH bodies', async () => {
    await expectRefused(
      await s.http().patch(`/api/v1/notifications/${notificationId}`).set(auth).send({ enabled: null }),
      'enabled',
    );
    await expectRefused(
      await s.http().patch(`/api/v1/notifications/${notificationId}`).set(auth).send({ name: null }),
      'name',
    );
    await expectRefused(
      await s.http().patch('/api/v1/users/me').set(auth).send({ discord_delivery: null }),
      'discord_delivery',
    );
    await expectRefused(
      await s.http().patch(`/api/v1/storage/${storageId}`).set(auth).send({ path_prefix: null }),
      'path_prefix',
    );
    for (const field of ['enabled', 'port', 'timezone', 'host', 'include_tables', 'storage_id']) {
      await expectRefused(
        await s
          .http()
          .patch(`/api/v1/databases/${databaseId}`)
          .set(auth)
          .send({ [field]: null }),
        field,
      );
    }
    // Where null means something it is still accepted: no schedule, no notification, no rotation.
    const cleared = await s
      .http()
      .patch(`/api/v1/databases/${databaseId}`)
      .set(auth)
      .send({ schedule: null, notification_id: null, rotation_policy: null, password: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ schedule: null, notification_id: null, rotation_policy: null });
  });

  it.each(['__proto__', 'constructor', 'prototype'])('a "%s" key anywhere in a body is refused', async (key) => {
    await expectRefused(
      await s.http().post('/api/v1/auth/login').set(json).send(`{"username": "root", "${key}": {"x": 1}}`),
      key,
    );
    await expectRefused(
      await s
        .http()
        .patch(`/api/v1/databases/${databaseId}`)
        .set(auth)
        .set(json)
        .send(`{"rotation_policy": {"type": "count", "value": 3, "${key}": {"isAdmin": true}}}`),
      `rotation_policy.${key}`,
    );
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('answers a known path with 405 and Allow for a method it does not serve', async () => {
    const health = await s.http().delete('/api/v1/health');
    expect(health.status).toBe(405);
    expect(health.headers.allow).toBe('GET, HEAD');
    expect(health.body).toEqual({
      status: 405,
      code: 'METHOD_NOT_ALLOWED',
      message: 'DELETE is not supported on this path; allowed: GET, HEAD',
      errors: [],
    });
    const database = await s.http().post(`/api/v1/databases/${databaseId}`).set(auth).send({});
    expect(database.status).toBe(405);
    expect(database.headers.allow).toBe('DELETE, GET, HEAD, PATCH, PUT');
    const login = await s.http().get('/api/v1/auth/login');
    expect([login.status, login.headers.allow]).toEqual([405, 'POST']);
    // Unknown paths stay 404; a known route and method for a missing resource too.
    expect((await s.http().delete('/api/v1/nothing-here')).status).toBe(404);
    const missing = await s.http().get('/api/v1/databases/00000000-0000-4000-8000-000000000000').set(auth);
    expect([missing.status, missing.headers.allow]).toEqual([404, undefined]);
  });
});
