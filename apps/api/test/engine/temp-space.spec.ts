import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fetchVerifiedArchive, TempSpaceError } from '../../src/engine/restore-pipeline';
import type { ObjectStore } from '../../src/engine/storage/object-store';
import { bearer } from '../helpers/auth';
import { backUp, databaseFields, restore, restoreTarget, seededDatabase, sql } from '../helpers/engine';
import { createBucket, s3Settings } from '../helpers/s3';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

/**
 * A real full disk: a 1 MiB tmpfs as RESTORE_TEMP_DIR, so the kernel itself answers ENOSPC (no
 * fake errors, no quotas). Mounting needs root with CAP_SYS_ADMIN (these machines and CI run as
 * root); where mount is refused the tests are skipped and say why, rather than fake the error.
 */
const folder = mkdtempSync(join(tmpdir(), 'full-temp-'));
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', folder], { stdio: 'pipe' });
  mounted = true;
} catch (error) {
  process.stderr.write(`temp-space.spec: cannot mount a tmpfs (${(error as Error).message.trim()}): skipped\n`);
}
const maybe = mounted ? it : it.skip;

/** About 3 MiB of random bytes: pg_dump cannot compress them, so the archive is about that size. */
const INCOMPRESSIBLE_SEED = `
  CREATE TABLE blobs (id int PRIMARY KEY, data bytea NOT NULL);
  INSERT INTO blobs SELECT g, decode(${Array.from({ length: 8 }, () => 'md5(random()::text)').join(' || ')}, 'hex')
  FROM generate_series(1, 25000) g;
`;

const leftInFolder = () => readdirSync(folder).filter((name) => name !== 'lost+found');

describe('RESTORE_TEMP_DIR full', () => {
  let app: SignedInApp;
  let pg: RunningPostgres;
  let backup: Record<string, unknown>;

  beforeAll(async () => {
    if (!mounted) return;
    [app, pg] = await Promise.all([startSignedIn({ RESTORE_TEMP_DIR: folder }), startPostgres({ major: 15 })]);
    const source = await seededDatabase(pg, INCOMPRESSIBLE_SEED);
    const storage = await app
      .http()
      .post('/api/v1/storage')
      .set(bearer(app.root.access_token))
      .send({ name: 's3', ...s3Settings(await createBucket('full-temp')) })
      .expect(201);
    const database = await app
      .http()
      .post('/api/v1/databases')
      .set(bearer(app.root.access_token))
      .send({ name: 'blobs', ...databaseFields(pg, source.dbname), storage_id: storage.body.id })
      .expect(201);
    backup = await backUp(app, database.body.id);
    expect(backup.status).toBe('success');
    expect(backup.dump_size_bytes).toBeGreaterThan(2 * 1024 * 1024);
  }, 120_000);
  afterAll(async () => {
    await app?.api.close();
    await pg?.stop();
    if (mounted) execFileSync('umount', [folder]);
    rmSync(folder, { recursive: true, force: true });
  });

  maybe('a restore fails naming the folder and the room the archive needs; nothing is created', async () => {
    const outcome = await restore(app, backup.id as string, { ...restoreTarget(pg, 'never_created'), create: true });
    expect(outcome.status).toBe('failed');
    const bytes = backup.dump_size_bytes as number;
    expect(outcome.error_message).toMatch(
      new RegExp(
        `^No space left in RESTORE_TEMP_DIR \\(${folder}\\): the verified copy of the archive needs \\d+(\\.\\d)? MiB \\(${bytes.toLocaleString('en-US')} bytes\\); 1\\.0 MiB \\(1,048,576 bytes\\) free there\\.`,
      ),
    );
    expect(await sql(pg.adminUrl, `SELECT 1 FROM pg_database WHERE datname = 'never_created'`)).toEqual([]);
    expect(leftInFolder()).toEqual([]);
  });

  maybe('verify says the same', async () => {
    const verified = await app
      .http()
      .post(`/api/v1/backups/${backup.id}/verify`)
      .set(bearer(app.root.access_token))
      .expect(200);
    expect(verified.body.ok).toBe(false);
    expect(verified.body.message).toContain(`No space left in RESTORE_TEMP_DIR (${folder})`);
    expect(leftInFolder()).toEqual([]);
  });

  maybe('a size nobody recorded: the write itself runs out, and the message still names the folder', async () => {
    const archive = randomBytes(3 * 1024 * 1024);
    const sha256 = createHash('sha256').update(archive).digest('hex');
    const store = { get: async () => Readable.from([archive]) } as unknown as ObjectStore;
    const error = await fetchVerifiedArchive(
      { store, key: 'x.dump', objectSha256: sha256, sha256, identity: null },
      folder,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TempSpaceError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^No space left in RESTORE_TEMP_DIR \\(${folder}\\): the verified copy of the archive needs more than the \\d+(\\.\\d)? KiB \\([\\d,]+ bytes\\) written before the disk filled; 1\\.0 MiB \\(1,048,576 bytes\\) free there\\.`,
      ),
    );
    expect(leftInFolder()).toEqual([]);
  });
});
