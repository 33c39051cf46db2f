import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer } from '../helpers/auth';
import { uniqueWebhook, webhookCalls } from '../helpers/discord';
import { databaseFields } from '../helpers/engine';
import { createBucket, s3Settings } from '../helpers/s3';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

// Issue 15: the forms' "Test" sends settings not saved yet: POST /storage/test, /databases/test and
// /notifications/test take a create's body; POST /{id}/test takes unsaved changes on top of the
// saved settings. Each answers what the saved test answers, and nothing is saved.
describe('test before save', () => {
  let app: SignedInApp;
  let pg15: RunningPostgres;
  let bucket: string;
  const auth = () => bearer(app.root.access_token);
  const post = (path: string, body?: unknown) => {
    const call = app.http().post(`/api/v1${path}`).set(auth());
    return body === undefined ? call : call.send(body as object);
  };
  const count = async (path: string) => (await app.http().get(`/api/v1${path}`).set(auth()).expect(200)).body.total;

  beforeAll(async () => {
    const localRoot = await mkdtemp(join(tmpdir(), 'dumpstation-test-before-save-'));
    [app, pg15, bucket] = await Promise.all([
      startSignedIn({ STORAGE_LOCAL_ROOT: localRoot }),
      startPostgres({ major: 15 }),
      createBucket('before-save'),
    ]);
  }, 120_000);
  afterAll(async () => {
    await app?.api.close();
    await pg15?.stop();
  });

  it('probes unsaved storage settings, saying what fails, and saves nothing', async () => {
    const good = await post('/storage/test', { name: 'new-s3', ...s3Settings(bucket) }).expect(200);
    expect(good.body).toEqual({ ok: true, message: 'Wrote, read back and deleted a probe object' });
    const missing = await post('/storage/test', { name: 'new-s3', ...s3Settings('no-such-bucket') }).expect(200);
    expect(missing.body.ok).toBe(false);
    expect(missing.body.message).toMatch(/^Could not write a probe object: /);
    const local = await post('/storage/test', { name: 'disk', provider: 'local' }).expect(200);
    expect(local.body.ok).toBe(true);
    // The provider's rules, as for a create: a 400 naming the fields.
    const incomplete = await post('/storage/test', { name: 'r2', provider: 'r2' }).expect(400);
    expect(incomplete.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'access_key',
      'bucket',
      'endpoint',
      'secret_key',
    ]);
    expect(await count('/storage')).toBe(0);
  });

  it('probes a saved storage with unsaved changes on top, keeping the saved keys and settings', async () => {
    const saved = await post('/storage', { name: 'saved-s3', ...s3Settings(bucket) }).expect(201);
    expect((await post(`/storage/${saved.body.id}/test`).expect(200)).body.ok).toBe(true);
    // A new bucket name only: the saved access and secret keys still sign the request.
    const changed = await post(`/storage/${saved.body.id}/test`, { bucket: 'no-such-bucket' }).expect(200);
    expect(changed.body.ok).toBe(false);
    const wrongSecret = await post(`/storage/${saved.body.id}/test`, { secret_key: 'not-the-secret' }).expect(200);
    expect(wrongSecret.body.ok).toBe(false);
    const after = await app.http().get(`/api/v1/storage/${saved.body.id}`).set(auth()).expect(200);
    expect(after.body.bucket).toBe(bucket);
    expect((await post(`/storage/${saved.body.id}/test`).expect(200)).body.ok).toBe(true);
  });

  it('checks unsaved connection settings: server, pg_dump and compression, or why not; saves nothing', async () => {
    const fields = databaseFields(pg15, 'postgres');
    const good = await post('/databases/test', fields).expect(200);
    expect(good.body).toMatchObject({
      ok: true,
      server_version: expect.stringMatching(/^15\./),
      pg_dump_version: expect.stringMatching(/^15\./),
      message: expect.stringMatching(
        /^Connected to PostgreSQL 15\.\d+; pg_dump 15\.\d+ will be used, compressing with gzip level 6$/,
      ),
    });
    const wrongPassword = await post('/databases/test', { ...fields, password: 'not-the-password' }).expect(200);
    expect(wrongPassword.body.ok).toBe(false);
    expect(wrongPassword.body.message).toMatch(/password/i);
    expect(JSON.stringify(wrongPassword.body)).not.toContain('not-the-password');
    const zstd = await post('/databases/test', { ...fields, compression: { algorithm: 'zstd' } }).expect(200);
    expect(zstd.body).toMatchObject({
      ok: false,
      message: expect.stringContaining('zstd compression needs pg_dump 16 or newer'),
    });
    const badPort = await post('/databases/test', { ...fields, port: 70000 }).expect(400);
    expect(badPort.body.errors).toEqual([{ field: 'port', message: 'port must not be greater than 65535' }]);
    expect(await count('/databases')).toBe(0);
  });

  it('checks a saved database with unsaved changes on top, using the saved password', async () => {
    const storage = await post('/storage', { name: 'for-db', provider: 'local' }).expect(201);
    const saved = await post('/databases', {
      name: 'saved-db',
      ...databaseFields(pg15, 'postgres'),
      storage_id: storage.body.id,
    }).expect(201);
    expect((await post(`/databases/${saved.body.id}/test`).expect(200)).body.ok).toBe(true);
    // Another database name only: the saved password still signs in.
    const missing = await post(`/databases/${saved.body.id}/test`, { dbname: 'no_such_db' }).expect(200);
    expect(missing.body).toMatchObject({ ok: false, message: expect.stringContaining('no_such_db') });
    const lz4 = await post(`/databases/${saved.body.id}/test`, { compression: { algorithm: 'lz4' } }).expect(200);
    expect(lz4.body.ok).toBe(false);
    const after = await app.http().get(`/api/v1/databases/${saved.body.id}`).set(auth()).expect(200);
    expect(after.body).toMatchObject({ dbname: 'postgres', compression: null });
  });

  it('sends a test message to an unsaved webhook, or says Discord refused it; saves nothing', async () => {
    const hook = uniqueWebhook();
    const good = await post('/notifications/test', { name: 'ops', discord_webhook_url: hook.url }).expect(200);
    expect(good.body).toEqual({ ok: true, message: 'Discord accepted the test message' });
    const calls = await webhookCalls(hook.path);
    expect(calls).toHaveLength(1);
    expect(JSON.stringify(calls[0].body)).toContain('Notifications from **ops** will look like this.');
    const refused = uniqueWebhook('fail-always-');
    const bad = await post('/notifications/test', { name: 'ops', discord_webhook_url: refused.url }).expect(200);
    expect(bad.body.ok).toBe(false);
    expect(JSON.stringify(bad.body)).not.toContain(refused.url.split('/').pop()!);
    await post('/notifications/test', { name: 'ops', discord_webhook_url: 'https://evil.example.com/x' }).expect(400);
    expect(await count('/notifications')).toBe(0);

    // A saved one tested with a new webhook: the message goes there, and the saved one is kept.
    const saved = await post('/notifications', { name: 'saved', discord_webhook_url: hook.url }).expect(201);
    const next = uniqueWebhook();
    await post(`/notifications/${saved.body.id}/test`, { discord_webhook_url: next.url }).expect(200);
    expect(await webhookCalls(next.path)).toHaveLength(1);
    await post(`/notifications/${saved.body.id}/test`).expect(200);
    expect(await webhookCalls(hook.path)).toHaveLength(2);
  });
});
