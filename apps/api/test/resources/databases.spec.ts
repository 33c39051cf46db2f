import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { Client } from 'pg';
import { bearer } from '../helpers/auth';
import { uniqueWebhook } from '../helpers/discord';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

const AGE_RECIPIENT = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

/** Connection fields for a database on a running embedded server. */
function target(pg: { host: string; port: number; user: string; password: string }, dbname = 'postgres') {
  return { host: pg.host, port: pg.port, user: pg.user, password: pg.password, dbname, sslmode: 'disable' };
}

// Databases through HTTP: settings with an encrypted password, references within the tenant, the check.
describe('databases', () => {
  let app: SignedInApp;
  let pg15: RunningPostgres;
  let pg17: { host: string; port: number; user: string; password: string };
  let storageId: string;
  const auth = () => bearer(app.root.access_token);

  beforeAll(async () => {
    // Only the system's clients (bookworm: 15), not the cached 17: a 17 server has no pg_dump here.
    [app, pg15] = await Promise.all([
      startSignedIn({ PG_BIN_DIR_TEMPLATE: '/usr/lib/postgresql/{major}/bin' }),
      startPostgres({ major: 15 }),
    ]);
    const admin = new URL(process.env.TEST_DATABASE_ADMIN_URL!);
    pg17 = {
      host: admin.hostname,
      port: Number(admin.port),
      user: decodeURIComponent(admin.username),
      password: decodeURIComponent(admin.password),
    };
    const storage = await app
      .http()
      .post('/api/v1/storage')
      .set(auth())
      .send({ name: 'local', provider: 'local' })
      .expect(201);
    storageId = storage.body.id;
  });
  afterAll(async () => {
    await app?.api.close();
    await pg15?.stop();
  });

  const create = (body: Record<string, unknown>) =>
    app
      .http()
      .post('/api/v1/databases')
      .set(auth())
      .send({ storage_id: storageId, ...body });

  it('creates one with every setting, the password encrypted and never returned', async () => {
    const notification = await app
      .http()
      .post('/api/v1/notifications')
      .set(auth())
      .send({ name: 'ops', discord_webhook_url: uniqueWebhook().url })
      .expect(201);
    const response = await create({
      name: 'pg15',
      ...target(pg15),
      notification_id: notification.body.id,
      schedule: '30 2 * * *',
      timezone: 'Europe/Paris',
      rotation_policy: { type: 'count', value: 7 },
      encryption_recipients: [AGE_RECIPIENT],
      include_schemas: ['public'],
      exclude_tables: ['public.sessions'],
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      name: 'pg15',
      port: pg15.port,
      password_set: true,
      sslmode: 'disable',
      schedule: '30 2 * * *',
      timezone: 'Europe/Paris',
      rotation_policy: { type: 'count', value: 7 },
      encryption_recipients: [AGE_RECIPIENT],
      include_schemas: ['public'],
      exclude_tables: ['public.sessions'],
      enabled: true,
    });
    expect(JSON.stringify(response.body)).not.toContain(pg15.password);
    const listed = await app.http().get('/api/v1/databases').set(auth());
    expect(JSON.stringify(listed.body)).not.toContain(pg15.password);

    const db = new Client({ connectionString: app.api.databaseUrl });
    await db.connect();
    const { rows } = await db.query('SELECT password_encrypted FROM databases WHERE id = $1', [response.body.id]);
    await db.end();
    expect(rows[0].password_encrypted).toMatch(/^v1:/);
    expect(rows[0].password_encrypted).not.toContain(pg15.password);
  });

  it('names every bad field and writes nothing', async () => {
    const response = await create({
      name: 'bad',
      host: 'db host; rm -rf /',
      port: 70000,
      dbname: 'x',
      user: 'x',
      sslmode: 'sometimes',
      schedule: 'every day',
      timezone: 'Mars/Olympus',
      rotation_policy: { type: 'forever', value: 0 },
      encryption_recipients: ['not-a-key'],
      include_tables: ['--file=/etc/passwd'],
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'encryption_recipients',
      'host',
      'include_tables',
      'port',
      'rotation_policy.type',
      'rotation_policy.value',
      'schedule',
      'sslmode',
      'timezone',
    ]);
    const listed = await app.http().get('/api/v1/databases').set(auth());
    expect(listed.body.items.map((d: { name: string }) => d.name)).toEqual(['pg15']);
  });

  it('refuses a storage or notification of another tenant as if it did not exist', async () => {
    const response = await create({
      name: 'elsewhere',
      ...target(pg15),
      storage_id: '0b7f3a52-7f0e-4f11-9c39-0d5f4f0f2a10',
      notification_id: '0b7f3a52-7f0e-4f11-9c39-0d5f4f0f2a11',
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['storage_id', 'notification_id']);
  });

  it('refuses a duplicate name with 409', async () => {
    const response = await create({ name: 'pg15', ...target(pg15) });
    expect(response.status).toBe(409);
    expect(response.body.errors[0].field).toBe('name');
  });

  it('checks a reachable server: its version and the pg_dump that would run', async () => {
    const list = await app.http().get('/api/v1/databases').set(auth());
    const response = await app.http().post(`/api/v1/databases/${list.body.items[0].id}/test`).set(auth());
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      ok: true,
      server_version: expect.stringMatching(/^15\./),
      pg_dump_path: '/usr/lib/postgresql/15/bin/pg_dump',
      pg_dump_version: expect.stringMatching(/^15\./),
    });
  });

  it('names the client package to install for a server newer than every installed pg_dump', async () => {
    const created = await create({ name: 'pg17', ...target(pg17) }).expect(201);
    const response = await app.http().post(`/api/v1/databases/${created.body.id}/test`).set(auth());
    expect(response.body.ok).toBe(false);
    expect(response.body.server_version).toMatch(/^17\./);
    expect(response.body.message).toMatch(/install postgresql-client-17/);
  });

  it('says in words why it cannot connect: wrong password, unreachable host', async () => {
    const wrong = await create({ name: 'wrong-password', ...target(pg15), password: 'not-it' }).expect(201);
    const answer = await app.http().post(`/api/v1/databases/${wrong.body.id}/test`).set(auth());
    expect(answer.body).toMatchObject({ ok: false, server_version: null });
    expect(answer.body.message).toBe(`Password authentication failed for user "${pg15.user}"`);

    const closed = await create({ name: 'closed', ...target(pg15), port: 1 }).expect(201);
    const refused = await app.http().post(`/api/v1/databases/${closed.body.id}/test`).set(auth());
    expect(refused.body.ok).toBe(false);
    expect(refused.body.message).toMatch(/connection refused/);
  });

  it('never downgrades TLS: sslmode require against a server without TLS fails', async () => {
    const created = await create({ name: 'tls', ...target(pg15), sslmode: 'require' }).expect(201);
    const response = await app.http().post(`/api/v1/databases/${created.body.id}/test`).set(auth());
    expect(response.body.ok).toBe(false);
    expect(response.body.message).toMatch(/does not support TLS/);
    // `prefer` falls back to plain text, as libpq does.
    const prefer = await create({ name: 'tls-prefer', ...target(pg15), sslmode: 'prefer' }).expect(201);
    expect((await app.http().post(`/api/v1/databases/${prefer.body.id}/test`).set(auth())).body.ok).toBe(true);
  });

  it('updates only the given fields; null removes the password and the rotation policy', async () => {
    const created = await create({ name: 'patch-me', ...target(pg15), rotation_policy: { type: 'days', value: 30 } });
    const patched = await app
      .http()
      .patch(`/api/v1/databases/${created.body.id}`)
      .set(auth())
      .send({ password: null, rotation_policy: null, enabled: false });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      password_set: false,
      rotation_policy: null,
      enabled: false,
      dbname: 'postgres',
    });
    await app.http().delete(`/api/v1/databases/${created.body.id}`).set(auth()).expect(204);
    expect((await app.http().get(`/api/v1/databases/${created.body.id}`).set(auth())).status).toBe(404);
  });
});
