import { S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY } from '@dumpstation/testing';
import { Client } from 'pg';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { bearer } from '../helpers/auth';
import { createBucket, objectKeys, s3Settings } from '../helpers/s3';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

// Storage destinations through HTTP: provider rules, encrypted keys, the probe against s3rver and a folder.
describe('storage', () => {
  let app: SignedInApp;
  let localRoot: string;
  let bucket: string;
  const auth = () => bearer(app.root.access_token);
  const create = (body: Record<string, unknown>) => app.http().post('/api/v1/storage').set(auth()).send(body);
  const probe = (id: string) => app.http().post(`/api/v1/storage/${id}/test`).set(auth());

  beforeAll(async () => {
    localRoot = await mkdtemp(join(tmpdir(), 'dumpstation-local-'));
    [app, bucket] = await Promise.all([startSignedIn({ STORAGE_LOCAL_ROOT: localRoot }), createBucket()]);
  });
  afterAll(() => app.api.close());

  it('creates an S3-compatible storage with its keys encrypted, showing the access key but never the secret', async () => {
    const response = await create({ name: 's3rver', ...s3Settings(bucket), path_prefix: 'prod/' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      provider: 'minio',
      bucket,
      path_prefix: 'prod/',
      force_path_style: true,
      access_key: S3_ACCESS_KEY_ID,
      secret_key_set: true,
    });
    expect(JSON.stringify(response.body)).not.toContain(S3_SECRET_ACCESS_KEY);
    const db = new Client({ connectionString: app.api.databaseUrl });
    await db.connect();
    const { rows } = await db.query('SELECT access_key_id_encrypted, secret_access_key_encrypted FROM storages');
    await db.end();
    expect(JSON.stringify(rows)).not.toContain(S3_SECRET_ACCESS_KEY);
    expect(JSON.stringify(rows)).not.toContain(S3_ACCESS_KEY_ID);
  });

  it('probes the bucket: writes, reads back and deletes, leaving nothing behind', async () => {
    const list = await app.http().get('/api/v1/storage').set(auth());
    const response = await probe(list.body.items[0].id);
    expect(response.body).toEqual({ ok: true, message: 'Wrote, read back and deleted a probe object' });
    expect(await objectKeys(bucket)).toEqual([]);
  });

  it('says in words what failed: wrong credentials, missing bucket, unreachable endpoint', async () => {
    const wrongKey = await create({ name: 'wrong-key', ...s3Settings(bucket), secret_key: 'nope' });
    expect((await probe(wrongKey.body.id)).body).toMatchObject({
      ok: false,
      message: expect.stringMatching(/access|credential|signature/i),
    });
    const noBucket = await create({ name: 'no-bucket', ...s3Settings('no-such-bucket-here') });
    expect((await probe(noBucket.body.id)).body).toMatchObject({
      ok: false,
      message: expect.stringMatching(/no-such-bucket-here/),
    });
    const closed = await create({ name: 'closed', ...s3Settings(bucket), endpoint: 'http://127.0.0.1:1' });
    expect((await probe(closed.body.id)).body).toMatchObject({
      ok: false,
      message: expect.stringMatching(/reach|connect|refused/i),
    });
  });

  it('keeps local storage inside the tenant’s own folder of STORAGE_LOCAL_ROOT', async () => {
    const response = await create({ name: 'disk', provider: 'local', path_prefix: 'nightly/' });
    expect(response.status).toBe(201);
    expect((await probe(response.body.id)).body.ok).toBe(true);
    expect(readdirSync(localRoot)).toEqual([app.root.tenant.id]);
    expect(existsSync(resolve(localRoot, app.root.tenant.id))).toBe(true);
  });

  it('addresses buckets path-style by default for S3 with a custom endpoint, virtual-hosted for Amazon S3 itself', async () => {
    const keys = { access_key: 'AKIAEXAMPLE', secret_key: 'secret', bucket: 'bucket-a' };
    const cases = [
      [{ name: 'aws', provider: 's3', ...keys }, false],
      [{ name: 's3-compatible', provider: 's3', endpoint: 'https://s3.internal.example.com', ...keys }, true],
      [
        {
          name: 's3-compatible-vhost',
          provider: 's3',
          endpoint: 'https://s3.example.com',
          force_path_style: false,
          ...keys,
        },
        false,
      ],
    ] as const;
    for (const [body, pathStyle] of cases) {
      const created = await create(body).expect(201);
      expect({ name: body.name, force_path_style: created.body.force_path_style }).toEqual({
        name: body.name,
        force_path_style: pathStyle,
      });
      await app.http().delete(`/api/v1/storage/${created.body.id}`).set(auth()).expect(204);
    }
  });

  it('names the fields each provider needs, and the ones it does not take', async () => {
    const s3 = await create({ name: 'incomplete', provider: 'r2' });
    expect(s3.status).toBe(400);
    expect(s3.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'bucket',
      'endpoint',
      'access_key',
      'secret_key',
    ]);
    const local = await create({ name: 'local-with-bucket', provider: 'local', bucket: 'abc' });
    expect(local.body.errors).toEqual([
      { field: 'bucket', message: 'bucket is not used by local storage: leave it out' },
    ]);
    const escape = await create({ name: 'escape', provider: 'local', path_prefix: '../../etc/' });
    expect(escape.status).toBe(400);
    expect(escape.body.errors[0].field).toBe('path_prefix');
  });

  it('refuses to delete a storage a database uses', async () => {
    const list = await app.http().get('/api/v1/storage').set(auth());
    const storage = list.body.items.find((s: { name: string }) => s.name === 'disk');
    await app
      .http()
      .post('/api/v1/databases')
      .set(auth())
      .send({ name: 'db', host: '127.0.0.1', dbname: 'x', user: 'x', storage_id: storage.id })
      .expect(201);
    const response = await app.http().delete(`/api/v1/storage/${storage.id}`).set(auth());
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('STORAGE_IN_USE');
  });
});
