import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { mkdir, mkdtemp, readdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp } from '../helpers/app';
import { bearer } from '../helpers/auth';
import { backUp, databaseFields, restore, restoreTarget, seededDatabase, sql, tableContents } from '../helpers/engine';
import { createBucket, objectKeys, unfinishedUploads, s3Settings } from '../helpers/s3';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

const MAJORS = [12, 13, 14, 15, 16, 17];
/** The client that dumps each server here: Debian bookworm's 15, else the cached 17 (`make pg-clients`). */
const clientFor = (major: number) => (major <= 15 ? 15 : 17);

// Backup → restore through HTTP on real servers 12-17 (pg_dump 15 from bookworm, 17 from the
// cache scripts/install-pg-client-17.sh fills), to S3 (s3rver) and to local storage, comparing
// every table after the restore.
describe('backup and restore round trip', () => {
  let app: SignedInApp;
  let bucket: string;
  let localRoot: string;
  const servers = new Map<number, RunningPostgres>();
  const storages: Record<'s3' | 'local', string> = { s3: '', local: '' };
  /** Backups written by pg_dump 17, for the checks with only client 15 installed. */
  const madeBy17: string[] = [];
  const auth = () => bearer(app.root.access_token);

  beforeAll(async () => {
    localRoot = await mkdtemp(join(tmpdir(), 'dumpstation-roundtrip-'));
    const started = await Promise.all([
      startSignedIn({ STORAGE_LOCAL_ROOT: localRoot }),
      createBucket('roundtrip'),
      ...MAJORS.map((major) => startPostgres({ major })),
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
      it(`PostgreSQL ${major} to ${storage}: every table comes back identical${major === 16 ? ' (into 17)' : ''}`, async () => {
        const pg = servers.get(major)!;
        const source = await seededDatabase(pg);
        const databaseId = await addDatabase(`pg${major}-${storage}`, pg, source.dbname, storage);

        const backup = await backUp(app, databaseId);
        expect(backup).toMatchObject({
          status: 'success',
          server_version: expect.stringMatching(new RegExp(`^${major}\\.`)),
          pg_dump_version: expect.stringMatching(new RegExp(`^${clientFor(major)}\\.`)),
          encrypted: false,
          error_message: null,
        });
        expect(backup.name).toMatch(/^[a-z]+-[a-z]+-\d{8}-\d{6}$/);
        expect(backup.size_bytes).toBeGreaterThan(10_000);
        expect(backup.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(backup.object_sha256).toBe(backup.sha256);
        if (clientFor(major) === 17) madeBy17.push(backup.id as string);
        expect(backup.object_key).toMatch(
          new RegExp(`^${storage === 's3' ? 'dumps/' : ''}pg${major}-${storage}/\\d{4}/\\d{2}/${backup.name}\\.dump$`),
        );

        // pg_dump 17's archive of a 16 server is read only by pg_restore 17, which cannot restore into
        // 16 (see the next test): it comes back into the 17 server.
        const into = major === 16 ? servers.get(17)! : pg;
        const target = `restored_${major}_${storage}`;
        const restored = await restore(app, backup.id as string, {
          ...restoreTarget(into, target),
          create: true,
        });
        expect(restored).toMatchObject({ status: 'success', error_message: null });
        expect(await tableContents(into.urlFor(target))).toEqual(await tableContents(source.url));
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

  it('restores a PostgreSQL 15 backup (pg_dump 15) into a PostgreSQL 17 server with pg_restore 17', async () => {
    const pg15 = servers.get(15)!;
    const source = await seededDatabase(pg15);
    const backup = await backUp(app, await addDatabase('pg15-to-17', pg15, source.dbname, 'local'));
    expect(backup).toMatchObject({ status: 'success', pg_dump_version: expect.stringMatching(/^15\./) });
    const pg17 = servers.get(17)!;
    const restored = await restore(app, backup.id as string, { ...restoreTarget(pg17, 'from_pg15'), create: true });
    expect(restored).toMatchObject({ status: 'success', error_message: null });
    expect(await tableContents(pg17.urlFor('from_pg15'))).toEqual(await tableContents(source.url));
  });

  it('refuses, before touching the server, to restore a pg_dump 17 archive into PostgreSQL 16', async () => {
    const pg16 = servers.get(16)!;
    const source = await seededDatabase(pg16);
    const backup = await backUp(app, await addDatabase('pg16-to-16', pg16, source.dbname, 'local'));
    expect(backup).toMatchObject({ status: 'success', pg_dump_version: expect.stringMatching(/^17\./) });
    const restored = await restore(app, backup.id as string, { ...restoreTarget(pg16, 'never_made_16'), create: true });
    expect(restored).toMatchObject({
      status: 'failed',
      error_message: expect.stringContaining(
        'read only by pg_restore 17 or newer, which cannot restore into PostgreSQL 16 (it sets transaction_timeout',
      ),
    });
    expect(await sql(pg16.adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', ['never_made_16'])).toEqual([]);
  });

  it('restores a PostgreSQL 15 backup into a PostgreSQL 16 server with pg_restore 15, not 17', async () => {
    const pg15 = servers.get(15)!;
    const source = await seededDatabase(pg15);
    const backup = await backUp(app, await addDatabase('pg15-to-16', pg15, source.dbname, 's3'));
    const pg16 = servers.get(16)!;
    const restored = await restore(app, backup.id as string, { ...restoreTarget(pg16, 'from_pg15'), create: true });
    expect(restored).toMatchObject({ status: 'success', error_message: null });
    expect(await tableContents(pg16.urlFor('from_pg15'))).toEqual(await tableContents(source.url));
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

  // The same service with a bin tree that has only Debian's client 15 (no 16, no 17).
  describe('with only postgresql-client-15 installed', () => {
    beforeAll(async () => {
      const bins = await mkdtemp(join(tmpdir(), 'dumpstation-only15-'));
      await mkdir(join(bins, '15', 'bin'), { recursive: true });
      for (const tool of ['pg_dump', 'pg_dumpall', 'pg_restore', 'psql']) {
        await symlink(`/usr/lib/postgresql/15/bin/${tool}`, join(bins, '15', 'bin', tool));
      }
      // One worker only (the other app stops first), so every job runs with this tree.
      await app.api.close();
      const api = await startTestApp({
        databaseUrl: app.api.databaseUrl,
        migrate: false,
        env: { STORAGE_LOCAL_ROOT: localRoot, PG_BIN_DIR_TEMPLATE: join(bins, '{major}', 'bin') },
      });
      app = { ...app, api, http: () => request(api.app.getHttpServer()) };
    }, 60_000);

    for (const major of [16, 17]) {
      it(`PostgreSQL ${major}: fails before uploading anything, naming the client package to install`, async () => {
        const bucketOfMajor = await createBucket(`pg${major}`);
        const storage = await app
          .http()
          .post('/api/v1/storage')
          .set(auth())
          .send({ name: `s3-${major}`, ...s3Settings(bucketOfMajor) })
          .expect(201);
        const database = await app
          .http()
          .post('/api/v1/databases')
          .set(auth())
          .send({ name: `pg${major}`, ...databaseFields(servers.get(major)!, 'postgres'), storage_id: storage.body.id })
          .expect(201);
        const backup = await backUp(app, database.body.id);
        expect(backup.status).toBe('failed');
        expect(backup.error_message).toContain(`install postgresql-client-${major}`);
        expect(backup.object_key).toBeNull();
        expect(await objectKeys(bucketOfMajor)).toEqual([]);
        expect(await unfinishedUploads(bucketOfMajor)).toBe(0);
      });
    }

    it('a pg_dump 17 backup fails verify and restore cleanly, naming pg_restore 17, and leaves the target alone', async () => {
      expect(madeBy17).toHaveLength(4); // servers 16 and 17, to S3 and to local storage
      const wanted =
        'No pg_restore 17 or newer to read this archive (written by pg_dump 17): install postgresql-client-17';
      for (const id of madeBy17) {
        const verified = await app.http().post(`/api/v1/backups/${id}/verify`).set(auth()).expect(200);
        expect(verified.body).toMatchObject({ ok: false, toc_entries: null });
        expect(verified.body.message).toContain(wanted);
      }
      for (const major of [15, 17]) {
        const pg = servers.get(major)!;
        const target = `never_made_${major}`;
        const restored = await restore(app, madeBy17[0], { ...restoreTarget(pg, target), create: true });
        expect(restored).toMatchObject({ status: 'failed', error_message: expect.stringContaining(wanted) });
        expect(await sql(pg.adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [target])).toEqual([]);
      }
    });
  });
});
