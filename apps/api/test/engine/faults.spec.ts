import {
  S3_ACCESS_KEY_ID,
  S3_SECRET_ACCESS_KEY,
  startPostgres,
  startS3,
  type RunningPostgres,
  type RunningS3,
} from '@dumpstation/testing';
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { readdirSync, readFileSync } from 'node:fs';
import { bearer } from '../helpers/auth';
import { backUp, databaseFields, restoreTarget, seededDatabase, waitForJob } from '../helpers/engine';
import { createBucket, objectKeys, readObject, s3Settings, unfinishedUploads, writeObject } from '../helpers/s3';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

/** About 64 MB of incompressible bytes: pg_dump takes seconds, and the upload goes multipart. */
const BIG_SEED = `
  CREATE TABLE blobs (id int PRIMARY KEY, data bytea);
  INSERT INTO blobs SELECT g, decode(${Array.from({ length: 8 }, () => 'md5(random()::text)').join(' || ')}, 'hex')
  FROM generate_series(1, 500000) g;
`;

/** pids of pg_dump processes started by this (test) process, where the in-process API runs. */
function pgDumpChildren(): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === 'pg_dump' && ppid === process.pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

// Each way a backup can break ends `failed` with a clear message, and leaves no object and
// no unfinished multipart upload behind.
describe('backup faults', () => {
  let app: SignedInApp;
  let pg: RunningPostgres;
  let big: { url: string; dbname: string };
  let small: { url: string; dbname: string };
  const auth = () => bearer(app.root.access_token);

  async function setUp(name: string, storage: Record<string, unknown>, database: Record<string, unknown>) {
    const store = await app
      .http()
      .post('/api/v1/storage')
      .set(auth())
      .send({ name, ...storage })
      .expect(201);
    const db = await app
      .http()
      .post('/api/v1/databases')
      .set(auth())
      .send({ name, ...database, storage_id: store.body.id })
      .expect(201);
    return db.body.id as string;
  }

  async function startBackup(databaseId: string): Promise<string> {
    return (await app.http().post(`/api/v1/databases/${databaseId}/backup`).set(auth()).expect(202)).body.id;
  }

  beforeAll(async () => {
    [app, pg] = await Promise.all([startSignedIn(), startPostgres({ major: 15 })]);
    [big, small] = await Promise.all([seededDatabase(pg, BIG_SEED), seededDatabase(pg)]);
  }, 120_000);
  afterAll(async () => {
    await app?.api.close();
    await pg?.stop();
  });

  it('pg_dump killed mid-stream: failed with the signal, upload aborted, nothing left', async () => {
    const bucket = await createBucket('killed');
    const id = await startBackup(await setUp('killed', s3Settings(bucket), databaseFields(pg, big.dbname)));
    // Mid-stream: the multipart upload has begun and pg_dump is still writing.
    await until(async () => (await unfinishedUploads(bucket)) > 0 && pgDumpChildren().length > 0, 'a multipart upload');
    for (const pid of pgDumpChildren()) process.kill(pid, 'SIGKILL');
    const backup = await waitForJob(app, `/api/v1/backups/${id}`);
    expect(backup.status).toBe('failed');
    expect(backup.error_message).toMatch(/^pg_dump failed: pg_dump was killed by SIGKILL/);
    expect(await objectKeys(bucket)).toEqual([]);
    expect(await unfinishedUploads(bucket)).toBe(0);
  });

  it('S3 server stopped mid-upload: failed with a network message, pg_dump stopped too', async () => {
    let s3: RunningS3 | undefined = await startS3({ buckets: ['faulty'] });
    try {
      const settings = { ...s3Settings('faulty'), endpoint: s3.endpoint };
      const id = await startBackup(await setUp('s3-dies', settings, databaseFields(pg, big.dbname)));
      const client = new S3Client({
        endpoint: s3.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: S3_SECRET_ACCESS_KEY },
      });
      await until(
        async () =>
          ((await client.send(new ListMultipartUploadsCommand({ Bucket: 'faulty' }))).Uploads ?? []).length > 0,
        'a multipart upload',
      );
      client.destroy();
      await s3.stop();
      s3 = undefined;
      const backup = await waitForJob(app, `/api/v1/backups/${id}`);
      expect(backup.status).toBe('failed');
      expect(backup.error_message).toMatch(/^upload failed: .*(reach|refused|socket|connect|ECONN)/i);
      await until(() => pgDumpChildren().length === 0, 'pg_dump to stop', 10_000);
    } finally {
      await s3?.stop();
    }
  });

  it('wrong storage credentials: failed, saying so, nothing written', async () => {
    const bucket = await createBucket('wrongkey');
    const id = await setUp(
      'wrong-key',
      { ...s3Settings(bucket), secret_key: 'not-the-secret' },
      databaseFields(pg, small.dbname),
    );
    const backup = await backUp(app, id);
    expect(backup.status).toBe('failed');
    expect(backup.error_message).toMatch(/^upload failed: .*(denied|signature|credential)/i);
    expect(await objectKeys(bucket)).toEqual([]);
    expect(await unfinishedUploads(bucket)).toBe(0);
  });

  it('unreachable database: failed before anything is uploaded', async () => {
    const bucket = await createBucket('unreachable');
    const backup = await backUp(
      app,
      await setUp('unreachable', s3Settings(bucket), { ...databaseFields(pg, small.dbname), port: 1 }),
    );
    expect(backup.status).toBe('failed');
    expect(backup.error_message).toBe(
      'Cannot reach 127.0.0.1:1: connection refused (is PostgreSQL running and listening there?)',
    );
    expect(await objectKeys(bucket)).toEqual([]);
  });

  it('wrong password: failed before anything is uploaded, the password named nowhere', async () => {
    const bucket = await createBucket('badpass');
    const backup = await backUp(
      app,
      await setUp('bad-password', s3Settings(bucket), {
        ...databaseFields(pg, small.dbname),
        password: 'hunter2-wrong',
      }),
    );
    expect(backup.status).toBe('failed');
    expect(backup.error_message).toBe(`Password authentication failed for user "${pg.user}"`);
    expect(JSON.stringify(backup)).not.toContain('hunter2-wrong');
    expect(await objectKeys(bucket)).toEqual([]);
  });

  it('a flipped byte in an unencrypted dump: verify and restore refuse on the checksum', async () => {
    const bucket = await createBucket('flipped');
    const backup = await backUp(app, await setUp('flipped', s3Settings(bucket), databaseFields(pg, small.dbname)));
    expect(backup.status).toBe('success');
    const key = backup.object_key as string;
    const stored = await readObject(bucket, key);
    stored[stored.length >> 1] ^= 0xff;
    await writeObject(bucket, key, stored);
    const verified = await app.http().post(`/api/v1/backups/${backup.id}/verify`).set(auth());
    expect(verified.body).toMatchObject({ ok: false, message: expect.stringMatching(/^Checksum mismatch/) });
    const started = await app
      .http()
      .post(`/api/v1/backups/${backup.id}/restore`)
      .set(auth())
      .send({ ...restoreTarget(pg, 'from_flipped'), create: true })
      .expect(202);
    const restored = await waitForJob(app, `/api/v1/restores/${started.body.id}`);
    expect(restored).toMatchObject({ status: 'failed', error_message: expect.stringMatching(/^Checksum mismatch/) });
  });
});
