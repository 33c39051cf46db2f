import { startApiProcess, startPostgres, type ApiProcess, type RunningPostgres } from '@dumpstation/testing';
import { JwtService } from '@nestjs/jwt';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { TEST_ENCRYPTION_KEY, TEST_JWT_SECRET } from '../helpers/app';
import { bearer, type Session } from '../helpers/auth';
import { databaseFields, seededDatabase, waitForJob } from '../helpers/engine';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

type Backup = { id: string; name: string; size_bytes: number; object_sha256: string; object_key: string };
type Link = { url: string; expires_at: string };

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A binary body as a Buffer, an error as its JSON (supertest parses only what it knows). */
function binary(req: request.Test): request.Test {
  return req.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      const body = Buffer.concat(chunks);
      const json = String(res.headers['content-type'] ?? '').includes('json');
      done(null, json ? JSON.parse(body.toString('utf8')) : body);
    });
  });
}

/** The token of a link's URL. */
const tokenOf = (link: Link) => new URL(link.url, 'http://x').searchParams.get('token')!;

// Issue 15: a browser downloads a backup natively (streamed to disk, with its own progress) from a
// short-lived link that needs no Authorization header: POST /backups/{id}/download-link gives it,
// for the same roles and tenant as GET /backups/{id}/download; GET /backups/{id}/file?token=… streams
// the object; an expired, altered or foreign token is refused in the common error shape.
describe('download links', () => {
  let app: SignedInApp;
  let pg: RunningPostgres;
  let operator: Session;
  let viewer: Session;
  let tenantB: Session;
  let backup: Backup;
  let other: Backup;
  let backupOfB: Backup;

  let storages = 0;
  async function setUpDatabase(token: string, dbname: string): Promise<string> {
    const storage = await app
      .http()
      .post('/api/v1/storage')
      .set(bearer(token))
      .send({ name: `disk-${(storages += 1)}`, provider: 'local' })
      .expect(201);
    const database = await app
      .http()
      .post('/api/v1/databases')
      .set(bearer(token))
      .send({ name: `db-${dbname}`, ...databaseFields(pg, dbname), storage_id: storage.body.id })
      .expect(201);
    return database.body.id as string;
  }
  async function backUp(token: string, databaseId: string): Promise<Backup> {
    const started = await app.http().post(`/api/v1/databases/${databaseId}/backup`).set(bearer(token)).expect(202);
    const done = await waitForJob(app, `/api/v1/backups/${started.body.id}`, token);
    expect(done.status).toBe('success');
    return done as unknown as Backup;
  }
  const linkFor = (id: string, token: string) =>
    app.http().post(`/api/v1/backups/${id}/download-link`).set(bearer(token));
  /** Follows a link as a browser would: no Authorization header, no cookie. */
  const follow = (url: string) => binary(app.http().get(url));

  beforeAll(async () => {
    [app, pg] = await Promise.all([startSignedIn(), startPostgres({ major: 15 })]);
    const source = await seededDatabase(pg);
    const databaseId = await setUpDatabase(app.root.access_token, source.dbname);
    backup = await backUp(app.root.access_token, databaseId);
    other = await backUp(app.root.access_token, databaseId);
    operator = await app.member('dl-operator', 'operator');
    viewer = await app.member('dl-viewer', 'viewer');
    tenantB = await app.newTenant('Beta', 'beta');
    backupOfB = await backUp(tenantB.access_token, await setUpDatabase(tenantB.access_token, source.dbname));
  }, 120_000);
  afterAll(async () => {
    await app?.api.close();
    await pg?.stop();
  });

  it('gives an operator a link that downloads the exact stored bytes without credentials, and logs it', async () => {
    const before = Date.now();
    const created = await linkFor(backup.id, operator.access_token).expect(201);
    const link = created.body as Link;
    expect(created.headers['cache-control']).toBe('no-store');
    expect(link.url).toMatch(new RegExp(`^/api/v1/backups/${backup.id}/file\\?token=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    // Five minutes by default (DOWNLOAD_LINK_EXPIRATION_SECONDS), to the second.
    const lifetime = Date.parse(link.expires_at) - before;
    expect(lifetime).toBeGreaterThan(298_000);
    expect(lifetime).toBeLessThanOrEqual(301_000);

    const response = await follow(link.url);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.headers['content-length']).toBe(String(backup.size_bytes));
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="${backup.object_key.split('/').pop()}"`,
    );
    expect(response.headers['cache-control']).toBe('private, no-store');
    const bytes = response.body as Buffer;
    expect(bytes.length).toBe(backup.size_bytes);
    expect(sha256(bytes)).toBe(backup.object_sha256);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('PGDMP');

    // The download is recorded for the operator who asked for the link.
    const logs = await app
      .http()
      .get('/api/v1/activity-logs?limit=100&resource_type=Backup')
      .set(bearer(app.root.access_token))
      .expect(200);
    expect(
      logs.body.items
        .filter((entry: { event: string }) => entry.event === 'backup.download')
        .map((entry: Record<string, unknown>) => [entry.resource_id, entry.resource_name, entry.user_name]),
    ).toEqual([[backup.id, backup.name, 'dl-operator']]);
  });

  it('keeps the role rules of GET /download: a viewer gets no link and no download', async () => {
    const link = await linkFor(backup.id, viewer.access_token);
    expect(link.status).toBe(403);
    expect(link.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const direct = await app.http().get(`/api/v1/backups/${backup.id}/download`).set(bearer(viewer.access_token));
    expect(direct.status).toBe(403);
    // Without credentials at all: 401, as before.
    expect((await linkFor(backup.id, '').unset('Authorization')).status).toBe(401);
  });

  it('answers 409 for a backup with nothing stored, as GET /download does', async () => {
    const brokenId = await setUpDatabase(app.root.access_token, 'no_such_database');
    const started = await app
      .http()
      .post(`/api/v1/databases/${brokenId}/backup`)
      .set(bearer(app.root.access_token))
      .expect(202);
    const failed = await waitForJob(app, `/api/v1/backups/${started.body.id}`);
    expect(failed.status).toBe('failed');
    const link = await linkFor(started.body.id as string, operator.access_token);
    expect([link.status, link.body.code]).toEqual([409, 'BACKUP_NOT_AVAILABLE']);
  });

  it('answers 404 for another tenant’s backup and for an unknown one', async () => {
    const foreign = await linkFor(backupOfB.id, app.root.access_token);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await linkFor('00000000-0000-4000-8000-000000000000', operator.access_token)).status).toBe(404);
  });

  it('refuses a link used for another backup, of this tenant or another', async () => {
    const link = (await linkFor(backup.id, operator.access_token).expect(201)).body as Link;
    for (const id of [other.id, backupOfB.id]) {
      const response = await follow(`/api/v1/backups/${id}/file?token=${tokenOf(link)}`);
      expect([response.status, response.body]).toEqual([
        403,
        expect.objectContaining({
          status: 403,
          code: 'DOWNLOAD_LINK_INVALID',
          message: expect.stringMatching(/another backup/),
        }),
      ]);
    }
    // Tenant B's own link opens tenant B's backup only.
    const linkOfB = (await linkFor(backupOfB.id, tenantB.access_token).expect(201)).body as Link;
    expect((await follow(linkOfB.url)).status).toBe(200);
    expect((await follow(`/api/v1/backups/${backup.id}/file?token=${tokenOf(linkOfB)}`)).status).toBe(403);
  });

  it('refuses an altered token, an access token and a malformed one', async () => {
    const link = (await linkFor(backup.id, operator.access_token).expect(201)).body as Link;
    const [header, payload, signature] = tokenOf(link).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, bid: other.id })).toString('base64url');
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    const accessAsLink = new JwtService({ secret: TEST_JWT_SECRET }).sign({ ...claims, typ: 'download' });
    for (const [id, token] of [
      [other.id, `${header}.${forged}.${signature}`],
      [backup.id, `${header}.${payload}.${flipped}`],
      [backup.id, accessAsLink],
      [backup.id, operator.access_token],
    ]) {
      const response = await follow(`/api/v1/backups/${id}/file?token=${token}`);
      expect([response.status, response.body]).toEqual([
        401,
        { status: 401, code: 'DOWNLOAD_LINK_INVALID', message: 'This download link is not valid', errors: [] },
      ]);
    }
    const malformed = await follow(`/api/v1/backups/${backup.id}/file?token=not-a-token`);
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'token' })]);
    expect((await follow(`/api/v1/backups/${backup.id}/file`)).status).toBe(400);
  });

  it('stops working for someone who may no longer download: demoted to viewer, or their API token revoked', async () => {
    const member = await app.member('dl-demoted', 'operator');
    const link = (await linkFor(backup.id, member.access_token).expect(201)).body as Link;
    const members = await app.http().get('/api/v1/members?limit=100').set(bearer(app.root.access_token)).expect(200);
    const membership = members.body.items.find((m: { user: { username: string } }) => m.user.username === 'dl-demoted');
    await app
      .http()
      .patch(`/api/v1/members/${membership.id}`)
      .set(bearer(app.root.access_token))
      .send({ role: 'viewer' })
      .expect(200);
    const refused = await follow(link.url);
    expect([refused.status, refused.body.code]).toEqual([403, 'DOWNLOAD_LINK_INVALID']);

    const apiToken = await app
      .http()
      .post('/api/v1/api-tokens')
      .set(bearer(app.root.access_token))
      .send({ name: 'ci-download', role: 'operator' })
      .expect(201);
    const byToken = (await linkFor(backup.id, apiToken.body.token).expect(201)).body as Link;
    expect((await follow(byToken.url)).status).toBe(200);
    await app
      .http()
      .delete(`/api/v1/api-tokens/${apiToken.body.id}`)
      .set(bearer(app.root.access_token))
      .expect((res) => expect([200, 204]).toContain(res.status));
    const revoked = await follow(byToken.url);
    expect([revoked.status, revoked.body.code]).toEqual([403, 'DOWNLOAD_LINK_INVALID']);
  });

  // The compiled API as production runs it (build first), on the same database and keys, with links
  // that live 2 s: the request log names the path without the token, and a link expires.
  describe('as a process', () => {
    let api: ApiProcess;
    beforeAll(async () => {
      api = await startApiProcess({
        databaseUrl: app.api.databaseUrl,
        env: {
          APP_ROLE: 'api',
          APP_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
          JWT_SECRET: TEST_JWT_SECRET,
          STORAGE_LOCAL_ROOT: app.api.config.env.STORAGE_LOCAL_ROOT,
          DOWNLOAD_LINK_EXPIRATION_SECONDS: '2',
        },
      });
    });
    afterAll(() => api?.stop());

    const createOnProcess = async () => {
      const response = await fetch(`${api.url}/api/v1/backups/${backup.id}/download-link`, {
        method: 'POST',
        headers: { authorization: `Bearer ${operator.access_token}` },
      });
      expect(response.status).toBe(201);
      return (await response.json()) as Link;
    };

    it('never logs the token: the request line has the path only', async () => {
      const link = await createOnProcess();
      const response = await fetch(`${api.url}${link.url}`);
      expect(response.status).toBe(200);
      expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(backup.object_sha256);
      await new Promise((resolve) => setTimeout(resolve, 200)); // the log line is written after the response
      expect(api.output()).toContain(`"path":"/api/v1/backups/${backup.id}/file"`);
      expect(api.output()).not.toContain(tokenOf(link));
      expect(api.output()).not.toContain(tokenOf(link).split('.')[2]);
    });

    it('refuses an expired link, saying so', async () => {
      const link = await createOnProcess();
      await new Promise((resolve) => setTimeout(resolve, Date.parse(link.expires_at) - Date.now() + 1_100));
      const response = await fetch(`${api.url}${link.url}`);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        status: 401,
        code: 'DOWNLOAD_LINK_INVALID',
        message: 'This download link has expired: ask for a new one',
        errors: [],
      });
    });
  });
});
