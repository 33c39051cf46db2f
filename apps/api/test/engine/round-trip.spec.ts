import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer } from '../helpers/auth';
import { backUp, databaseFields, restore, restoreTarget, seededDatabase, tableContents } from '../helpers/engine';
import { createBucket, objectKeys, unfinishedUploads, s3Settings } from '../helpers/s3';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

const MAJORS = [12, 13, 14, 15];

// Backup → restore through HTTP on real servers 12-15 (pg_dump 15 is the one installed here),
// to S3 (s3rver) and to local storage, comparing every table after the restore.
describe('backup and restore round trip', () => {
  let app: SignedInApp;
  let bucket: string;
  let localRoot: string;
  const servers = new Map<number, RunningPostgres>();
  const storages: Record<'s3' | 'local', string> = { s3: '', local: '' };
  const auth = () => bearer(app.root.access_token);

  beforeAll(async () => {
    localRoot = await mkdtemp(join(tmpdir(), 'dumpstation-roundtrip-'));
    const started = await Promise.all([
      startSignedIn({ STORAGE_LOCAL_ROOT: localRoot }),
      createBucket('roundtrip'),
      ...[...MAJORS, 16].map((major) => startPostgres({ major })),
    ]);
    app = started[0] as SignedInApp;
    bucket = started[1] as string;
    for (const pg of started.slice(2) as RunningPostgres[]) servers.set(pg.major, pg);
    storages.s3 = (
      await app
        .http()
        .post('/api/v1/storage')
        .set(auth())
        .send({ name: 's3', ...s3Settings(bucket), path_prefix: 'dumps/' })
        .expect(201)
    ).body.id;
    storages.local = (
      await app.http().post('/api/v1/storage').set(auth()).send({ name: 'local', provider: 'local' }).expect(201)
    ).body.id;
  }, 120_000);
  afterAll(async () => {
    await app?.api.close();
    await Promise.all([...servers.values()].map((pg) => pg.stop()));
  });

  async function addDatabase(name: string, pg: RunningPostgres, dbname: string, storage: 's3' | 'local') {
    const response = await app
      .http()
      .post('/api/v1/databases')
      .set(auth())
      .send({ name, ...databaseFields(pg, dbname), storage_id: storages[storage] })
      .expect(201);
    return response.body.id as string;
  }

  for (const major of MAJORS) {
    for (const storage of ['s3', 'local'] as const) {
      it(`PostgreSQL ${major} to ${storage}: every table comes back identical`, async () => {
        const pg = servers.get(major)!;
        const source = await seededDatabase(pg);
        const databaseId = await addDatabase(`pg${major}-${storage}`, pg, source.dbname, storage);

        const backup = await backUp(app, databaseId);
        expect(backup).toMatchObject({
          status: 'success',
          server_version: expect.stringMatching(new RegExp(`^${major}\\.`)),
          pg_dump_version: expect.stringMatching(/^15\./),
          encrypted: false,
          error_message: null,
        });
        expect(backup.name).toMatch(/^[a-z]+-[a-z]+-\d{8}-\d{6}$/);
        expect(backup.size_bytes).toBeGreaterThan(10_000);
        expect(backup.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(backup.object_sha256).toBe(backup.sha256);
        expect(backup.object_key).toMatch(
          new RegExp(`^${storage === 's3' ? 'dumps/' : ''}pg${major}-${storage}/\\d{4}/\\d{2}/${backup.name}\\.dump$`),
        );

        const target = `restored_${major}_${storage}`;
        const restored = await restore(app, backup.id as string, {
          ...restoreTarget(pg, target),
          create: true,
        });
        expect(restored).toMatchObject({ status: 'success', error_message: null });
        expect(await tableContents(pg.urlFor(target))).toEqual(await tableContents(source.url));
      });
    }
  }

  it('writes a readable key and a JSON sidecar beside each dump, and no unfinished upload', async () => {
    const keys = await objectKeys(bucket);
    const dumps = keys.filter((k) => k.endsWith('.dump'));
    expect(dumps).toHaveLength(MAJORS.length);
    for (const dump of dumps) expect(keys).toContain(dump.replace(/\.dump$/, '.json'));
    expect(await unfinishedUploads(bucket)).toBe(0);
    const tenantFolder = await readdir(join(localRoot, app.root.tenant.id), { recursive: true });
    expect(tenantFolder.filter((f) => f.endsWith('.dump'))).toHaveLength(MAJORS.length);
  });

  it('restores a PostgreSQL 12 backup into a PostgreSQL 17 server', async () => {
    const pg12 = servers.get(12)!;
    const source = await seededDatabase(pg12);
    const backup = await backUp(app, await addDatabase('pg12-to-17', pg12, source.dbname, 's3'));
    expect(backup.status).toBe('success');
    const admin = new URL(process.env.TEST_DATABASE_ADMIN_URL!);
    const restored = await restore(app, backup.id as string, {
      target_host: admin.hostname,
      target_port: Number(admin.port),
      target_user: decodeURIComponent(admin.username),
      target_password: decodeURIComponent(admin.password),
      target_dbname: 'from_pg12',
      target_sslmode: 'disable',
      create: true,
    });
    expect(restored.status).toBe('success');
    admin.pathname = '/from_pg12';
    expect(await tableContents(admin.toString())).toEqual(await tableContents(source.url));
  });

  it('restores into the source database with clean, putting changed rows back', async () => {
    const pg = servers.get(15)!;
    const source = await seededDatabase(pg);
    const before = await tableContents(source.url);
    const backup = await backUp(app, await addDatabase('pg15-clean', pg, source.dbname, 'local'));
    const { sql } = await import('../helpers/engine');
    await sql(source.url, "DELETE FROM orders WHERE id > 10; UPDATE customers SET name = 'changed'");
    expect(await tableContents(source.url)).not.toEqual(before);
    const restored = await restore(app, backup.id as string, { clean: true });
    expect(restored.status).toBe('success');
    expect(await tableContents(source.url)).toEqual(before);
  });

  for (const major of [16, 17]) {
    it(`PostgreSQL ${major}: fails before uploading anything, naming the client package to install`, async () => {
      const bucketOf16 = await createBucket(`pg${major}`);
      const storage = await app
        .http()
        .post('/api/v1/storage')
        .set(auth())
        .send({ name: `s3-${major}`, ...s3Settings(bucketOf16) })
        .expect(201);
      const pg =
        major === 16
          ? databaseFields(servers.get(16)!, 'postgres')
          : (() => {
              const admin = new URL(process.env.TEST_DATABASE_ADMIN_URL!);
              return {
                host: admin.hostname,
                port: Number(admin.port),
                dbname: 'postgres',
                user: decodeURIComponent(admin.username),
                password: decodeURIComponent(admin.password),
                sslmode: 'disable',
              };
            })();
      const database = await app
        .http()
        .post('/api/v1/databases')
        .set(auth())
        .send({ name: `pg${major}`, ...pg, storage_id: storage.body.id })
        .expect(201);
      const backup = await backUp(app, database.body.id);
      expect(backup.status).toBe('failed');
      expect(backup.error_message).toContain(`install postgresql-client-${major}`);
      expect(backup.object_key).toBeNull();
      expect(await objectKeys(bucketOf16)).toEqual([]);
      expect(await unfinishedUploads(bucketOf16)).toBe(0);
    });
  }
});
