import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SecretBox } from '../../src/crypto/secret-box';
import { bearer } from '../helpers/auth';
import { backUp, databaseFields, restoreTarget, restore, seededDatabase, sql, tableContents } from '../helpers/engine';
import { createBucket, readObject, s3Settings, writeObject } from '../helpers/s3';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

const run = promisify(execFile);
const PG_RESTORE = '/usr/lib/postgresql/15/bin/pg_restore';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

// Encrypted backups, checked with the standard tools only: the sidecar, `age -d`, pg_restore.
describe('encrypted backups', () => {
  let app: SignedInApp;
  let pg: RunningPostgres;
  let bucket: string;
  let work: string;
  let source: { url: string; dbname: string };
  let backup: Record<string, unknown>;
  let userIdentity: string;
  let userRecipient: string;
  const auth = () => bearer(app.root.access_token);

  beforeAll(async () => {
    [app, pg, bucket, work] = await Promise.all([
      startSignedIn(),
      startPostgres({ major: 15 }),
      createBucket('encrypted'),
      mkdtemp(join(tmpdir(), 'dumpstation-age-')),
    ]);
    userIdentity = await generateX25519Identity();
    userRecipient = await identityToRecipient(userIdentity);
    source = await seededDatabase(pg);
    const storage = await app
      .http()
      .post('/api/v1/storage')
      .set(auth())
      .send({ name: 's3', ...s3Settings(bucket) })
      .expect(201);
    const database = await app
      .http()
      .post('/api/v1/databases')
      .set(auth())
      .send({
        name: 'secret-db',
        ...databaseFields(pg, source.dbname),
        storage_id: storage.body.id,
        encryption_recipients: [userRecipient],
      })
      .expect(201);
    backup = await backUp(app, database.body.id);
  }, 120_000);
  afterAll(async () => {
    await app?.api.close();
    await pg?.stop();
  });

  it('stores an age file that is not a pg_dump archive, under a .age key', async () => {
    expect(backup).toMatchObject({ status: 'success', encrypted: true });
    expect(backup.object_key).toMatch(/\.dump\.age$/);
    expect(backup.encryption_recipients).toEqual([expect.stringMatching(/^age1/), userRecipient]);
    expect(backup.object_sha256).not.toBe(backup.sha256);
    const stored = await readObject(bucket, backup.object_key as string);
    expect(stored.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    await writeFile(join(work, 'stored.dump.age'), stored);
    await expect(run(PG_RESTORE, ['--list', join(work, 'stored.dump.age')])).rejects.toThrow(/input file/);
  });

  it('is restorable without DumpStation: sidecar, age -d with the tenant key, pg_restore', async () => {
    const key = backup.object_key as string;
    const sidecar = JSON.parse((await readObject(bucket, key.replace(/\.dump\.age$/, '.json'))).toString());
    expect(sidecar).toMatchObject({
      format: 'dumpstation-backup/2',
      object_key: key,
      encrypted: true,
      encryption: {
        tool: 'age',
        recipients: [
          { label: 'tenant', recipient: (backup.encryption_recipients as string[])[0] },
          { label: 'database recipient 1', recipient: userRecipient },
        ],
      },
      dump_format: 'custom',
      server_version: backup.server_version,
      pg_dump_version: backup.pg_dump_version,
    });
    const stored = await readObject(bucket, key);
    expect(sha256(stored)).toBe(sidecar.sha256_object);
    expect(stored.length).toBe(sidecar.size_bytes);

    // The tenant's identity, as an operator holding APP_ENCRYPTION_KEY can recover it.
    const [tenant] = await sql(app.api.databaseUrl, 'SELECT age_identity_encrypted FROM tenants');
    const tenantIdentity = new SecretBox(app.api.config).decrypt(tenant.age_identity_encrypted as string);
    await writeFile(join(work, 'tenant.key'), `${tenantIdentity}\n`, { mode: 0o600 });
    await writeFile(join(work, 'stored.dump.age'), stored);
    await run('age', [
      '-d',
      '-i',
      join(work, 'tenant.key'),
      '-o',
      join(work, 'plain.dump'),
      join(work, 'stored.dump.age'),
    ]);
    expect(sha256(await readFile(join(work, 'plain.dump')))).toBe(sidecar.sha256_dump);

    await pg.createDatabase('by_hand');
    await run(PG_RESTORE, ['--exit-on-error', '--no-owner', '-d', 'by_hand', join(work, 'plain.dump')], {
      env: {
        PATH: process.env.PATH,
        PGHOST: pg.host,
        PGPORT: String(pg.port),
        PGUSER: pg.user,
        PGPASSWORD: pg.password,
      },
    });
    expect(await tableContents(pg.urlFor('by_hand'))).toEqual(await tableContents(source.url));
  });

  it('is also readable with the user’s own age identity', async () => {
    await writeFile(join(work, 'user.key'), `${userIdentity}\n`, { mode: 0o600 });
    await run('age', [
      '-d',
      '-i',
      join(work, 'user.key'),
      '-o',
      join(work, 'user.dump'),
      join(work, 'stored.dump.age'),
    ]);
    const { stdout } = await run(PG_RESTORE, ['--list', join(work, 'user.dump')]);
    expect(stdout).toContain('TABLE DATA public customers');
  });

  it('verifies and restores through the API, decrypting with the tenant key', async () => {
    const verified = await app.http().post(`/api/v1/backups/${backup.id}/verify`).set(auth());
    expect(verified.body).toMatchObject({ ok: true, message: expect.stringMatching(/^Checksums match/) });
    expect(verified.body.toc_entries).toBeGreaterThan(5);
    const restored = await restore(app, backup.id as string, {
      ...restoreTarget(pg, 'via_api'),
      create: true,
    });
    expect(restored.status).toBe('success');
    expect(await tableContents(pg.urlFor('via_api'))).toEqual(await tableContents(source.url));
  });

  it('downloads the object exactly as stored', async () => {
    const response = await app
      .http()
      .get(`/api/v1/backups/${backup.id}/download`)
      .set(auth())
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toContain(`${backup.name}.dump.age`);
    expect(sha256(response.body as Buffer)).toBe(backup.object_sha256);
  });

  it('refuses to verify or restore once a single stored byte is flipped, touching no target', async () => {
    const key = backup.object_key as string;
    const stored = await readObject(bucket, key);
    const flipped = Buffer.from(stored);
    flipped[Math.floor(flipped.length / 2)] ^= 0x01;
    await writeObject(bucket, key, flipped);

    const verified = await app.http().post(`/api/v1/backups/${backup.id}/verify`).set(auth());
    expect(verified.body.ok).toBe(false);
    expect(verified.body.message).toMatch(/cannot be decrypted|Checksum mismatch/);

    const restored = await restore(app, backup.id as string, {
      ...restoreTarget(pg, 'never_made'),
      create: true,
    });
    expect(restored.status).toBe('failed');
    expect(restored.error_message).toMatch(/cannot be decrypted|Checksum mismatch/);
    const exists = await sql(pg.adminUrl, "SELECT 1 FROM pg_database WHERE datname = 'never_made'");
    expect(exists).toEqual([]);
    await writeObject(bucket, key, stored);
  });
});
