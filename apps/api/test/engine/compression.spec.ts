import { pgClientsCacheDir, startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bearer } from '../helpers/auth';
import { backUp, databaseFields, restore, restoreTarget, seededDatabase, tableContents } from '../helpers/engine';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

const execFileAsync = promisify(execFile);
const PG_RESTORE_17 = join(pgClientsCacheDir(), '17', 'bin', 'pg_restore');
const PG_RESTORE_15 = '/usr/lib/postgresql/15/bin/pg_restore';

/** The "Compression:" line of `pg_restore -l`: what the archive's header says it was compressed with. */
async function archiveCompression(pgRestore: string, file: string): Promise<string> {
  const { stdout } = await execFileAsync(pgRestore, ['-l', file]);
  const line = stdout.split('\n').find((l) => /^;\s+Compression:/.test(l));
  if (!line) throw new Error(`pg_restore -l printed no Compression line:\n${stdout.slice(0, 2_000)}`);
  return line.replace(/^;\s+Compression:\s*/, '').trim();
}

// Issue 14: per-database compression. A server 17 (pg_dump 17) round-trips every algorithm, the
// stored archive's own header names it, and the backup row and sidecar record it; the defaults
// follow the pg_dump (zstd 3 from 16 on, gzip 6 before); lz4/zstd for a pg_dump 15 is a 400.
describe('dump compression', () => {
  let app: SignedInApp;
  let localRoot: string;
  let storageId: string;
  let pg15: RunningPostgres;
  let pg17: RunningPostgres;
  let source17: { url: string; dbname: string };
  const auth = () => bearer(app.root.access_token);

  beforeAll(async () => {
    localRoot = await mkdtemp(join(tmpdir(), 'dumpstation-compression-'));
    [app, pg15, pg17] = await Promise.all([
      startSignedIn({ STORAGE_LOCAL_ROOT: localRoot }),
      startPostgres({ major: 15 }),
      startPostgres({ major: 17 }),
    ]);
    storageId = (
      await app.http().post('/api/v1/storage').set(auth()).send({ name: 'local', provider: 'local' }).expect(201)
    ).body.id;
    source17 = await seededDatabase(pg17);
  }, 120_000);
  afterAll(async () => {
    await app?.api.close();
    await Promise.all([pg15?.stop(), pg17?.stop()]);
  });

  const storedFile = (key: unknown) => join(localRoot, app.root.tenant.id, String(key));
  const sidecarOf = async (key: unknown) =>
    JSON.parse(await readFile(storedFile(String(key).replace(/\.dump$/, '.json')), 'utf8')) as Record<string, unknown>;

  function addDatabase(name: string, pg: RunningPostgres, dbname: string, compression?: unknown) {
    return app
      .http()
      .post('/api/v1/databases')
      .set(auth())
      .send({ name, ...databaseFields(pg, dbname), storage_id: storageId, ...(compression ? { compression } : {}) });
  }

  const cases = [
    { algorithm: 'zstd', level: 7, header: 'zstd' },
    { algorithm: 'lz4', level: 4, header: 'lz4' },
    { algorithm: 'gzip', level: 2, header: 'gzip' },
    { algorithm: 'none', level: null, header: 'none' },
  ] as const;
  for (const { algorithm, level, header } of cases) {
    it(`${algorithm}: the archive says ${header}, the backup and sidecar record it, and it restores identical`, async () => {
      const created = await addDatabase(`pg17-${algorithm}`, pg17, source17.dbname, { algorithm, level }).expect(201);
      expect(created.body.compression).toEqual({ algorithm, level });

      const backup = await backUp(app, created.body.id);
      expect(backup).toMatchObject({ status: 'success', compression: { algorithm, level } });
      expect(await archiveCompression(PG_RESTORE_17, storedFile(backup.object_key))).toBe(header);
      expect(await sidecarOf(backup.object_key)).toMatchObject({ compression: { algorithm, level } });

      const target = `restored_${algorithm}`;
      const restored = await restore(app, backup.id as string, { ...restoreTarget(pg17, target), create: true });
      expect(restored).toMatchObject({ status: 'success', error_message: null });
      expect(await tableContents(pg17.urlFor(target))).toEqual(await tableContents(source17.url));
    });
  }

  it('defaults to zstd 3 for a pg_dump 17 and to gzip 6 for a pg_dump 15', async () => {
    const on17 = await addDatabase('pg17-default', pg17, source17.dbname).expect(201);
    expect(on17.body.compression).toBeNull();
    const backup17 = await backUp(app, on17.body.id);
    expect(backup17).toMatchObject({ status: 'success', compression: { algorithm: 'zstd', level: 3 } });
    expect(await archiveCompression(PG_RESTORE_17, storedFile(backup17.object_key))).toBe('zstd');

    const source15 = await seededDatabase(pg15);
    const on15 = await addDatabase('pg15-default', pg15, source15.dbname).expect(201);
    const backup15 = await backUp(app, on15.body.id);
    expect(backup15).toMatchObject({
      status: 'success',
      pg_dump_version: expect.stringMatching(/^15\./),
      compression: { algorithm: 'gzip', level: 6 },
    });
    // pg_restore 15 prints the level of a gzip archive.
    expect(await archiveCompression(PG_RESTORE_15, storedFile(backup15.object_key))).toBe('6');
  });

  it('refuses zstd and lz4 for a database pg_dump 15 dumps, naming the field and the client, writing nothing', async () => {
    const source15 = await seededDatabase(pg15);
    for (const algorithm of ['zstd', 'lz4']) {
      const response = await addDatabase(`pg15-${algorithm}`, pg15, source15.dbname, { algorithm }).expect(400);
      const error = (response.body.errors as { field: string; message: string }[]).find(
        (d) => d.field === 'compression.algorithm',
      );
      expect(error?.message).toMatch(
        new RegExp(`^${algorithm} compression needs pg_dump 16 or newer; .*pg_dump 15\\.\\d+`),
      );
    }
    const list = await app.http().get('/api/v1/databases').set(auth()).expect(200);
    expect((list.body.items as { name: string }[]).map((d) => d.name)).not.toContain('pg15-zstd');

    // The same for a change: gzip → zstd on a 15 server is refused and the stored setting stays.
    const gzip = await addDatabase('pg15-gzip', pg15, source15.dbname, { algorithm: 'gzip', level: 9 }).expect(201);
    await app
      .http()
      .patch(`/api/v1/databases/${gzip.body.id}`)
      .set(auth())
      .send({ compression: { algorithm: 'zstd', level: 3 } })
      .expect(400);
    const after = await app.http().get(`/api/v1/databases/${gzip.body.id}`).set(auth()).expect(200);
    expect(after.body.compression).toEqual({ algorithm: 'gzip', level: 9 });
  });

  it('refuses a level outside the algorithm’s range and an unknown algorithm, naming the field', async () => {
    const bad = [
      [{ algorithm: 'gzip', level: 10 }, 'compression.level', 'gzip compression levels are 1 to 9'],
      [{ algorithm: 'zstd', level: 0 }, 'compression.level', 'compression levels start at 1'],
      [{ algorithm: 'zstd', level: 23 }, 'compression.level', 'compression levels go up to 22'],
      [{ algorithm: 'lz4', level: 13 }, 'compression.level', 'lz4 compression levels are 1 to 12'],
      [{ algorithm: 'none', level: 3 }, 'compression.level', 'none takes no compression level'],
      [{ algorithm: 'brotli' }, 'compression.algorithm', 'algorithm must be one of gzip, lz4, zstd, none'],
    ] as const;
    for (const [compression, field, message] of bad) {
      const response = await addDatabase('bad-level', pg17, source17.dbname, compression).expect(400);
      expect(response.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, message: expect.stringContaining(message) })]),
      );
    }
  });

  it('says in the connection check which compression the next backup uses', async () => {
    const created = await addDatabase('pg17-check', pg17, source17.dbname, { algorithm: 'lz4' }).expect(201);
    const check = await app.http().post(`/api/v1/databases/${created.body.id}/test`).set(auth()).expect(200);
    expect(check.body).toMatchObject({ ok: true, message: expect.stringMatching(/compressing with lz4 level 1$/) });
  });
});
