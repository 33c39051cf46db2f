import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { sql as runSql } from '../helpers/engine';
import { TEST_JWT_SECRET, type TestApp } from '../helpers/app';
import { bearer, type Session } from '../helpers/auth';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

// Access JWTs, refresh-token rotation and API tokens: what is accepted, and what answers 401/403.
describe('credentials', () => {
  let app: SignedInApp;
  let api: TestApp;
  let root: Session;
  const http = () => request(api.app.getHttpServer());
  const me = (token: string) => http().get('/api/v1/users/me').set(bearer(token));

  async function member(username: string, role: string): Promise<Session & { membershipId: string }> {
    const invited = await http()
      .post('/api/v1/members')
      .set(bearer(root.access_token))
      .send({ username, email: `${username}@example.com`, role });
    expect(invited.status).toBe(202);
    // Signing in accepts the invitation that created the user; then the membership exists.
    const session = await app.signIn(username);
    const members = await http().get('/api/v1/members?limit=100').set(bearer(root.access_token)).expect(200);
    const membership = members.body.items.find((m: { user: { username: string } }) => m.user.username === username);
    return { ...session, membershipId: membership.id };
  }

  async function createToken(session: Session, body: Record<string, unknown>) {
    return http().post('/api/v1/api-tokens').set(bearer(session.access_token)).send(body);
  }

  const sql = (text: string, values: unknown[] = []) => runSql(api.databaseUrl, text, values);

  beforeAll(async () => {
    app = await startSignedIn();
    ({ api, root } = app);
  });
  afterAll(() => api.close());

  describe('access JWT', () => {
    const claims = () => ({ sub: root.user.id, tid: root.tenant.id, sid: randomUUID(), typ: 'access' });

    it('accepts a token signed with the server secret (the control for the cases below)', async () => {
      const token = new JwtService({ secret: TEST_JWT_SECRET }).sign(claims(), { expiresIn: 60 });
      expect((await me(token)).status).toBe(200);
    });

    it('refuses a tampered token', async () => {
      const [header, payload, signature] = root.access_token.split('.');
      const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const forged = Buffer.from(JSON.stringify({ ...decoded, tid: '00000000-0000-4000-8000-000000000000' })).toString(
        'base64url',
      );
      const response = await me(`${header}.${forged}.${signature}`);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
    });

    it('refuses an expired token', async () => {
      const token = new JwtService({ secret: TEST_JWT_SECRET }).sign({
        ...claims(),
        exp: Math.floor(Date.now() / 1000) - 5,
      });
      expect((await me(token)).status).toBe(401);
    });

    it('refuses a token signed with another secret', async () => {
      const token = new JwtService({ secret: 'not-the-server-secret-0123456789abcdef' }).sign(claims(), {
        expiresIn: 60,
      });
      expect((await me(token)).status).toBe(401);
    });

    it('refuses an unsigned token (alg none)', async () => {
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const token = `${part({ alg: 'none', typ: 'JWT' })}.${part({ ...claims(), exp: Date.now() / 1000 + 60 })}.`;
      expect((await me(token)).status).toBe(401);
    });

    it('refuses a missing or malformed Authorization header with 401', async () => {
      expect((await http().get('/api/v1/users/me')).status).toBe(401);
      expect((await http().get('/api/v1/users/me').set('Authorization', 'Basic cm9vdDpyb290')).status).toBe(401);
      expect((await me('garbage')).status).toBe(401);
    });
  });

  describe('refresh tokens', () => {
    it('revokes the whole family when a rotated refresh token is presented again', async () => {
      const first = await app.signIn('root');
      const second = await http().post('/api/v1/auth/refresh').send({ refresh_token: first.refresh_token });
      expect(second.status).toBe(200);
      const third = await http().post('/api/v1/auth/refresh').send({ refresh_token: second.body.refresh_token });
      expect(third.status).toBe(200);

      // Someone replays the first one (stolen?): refused, and the family's live token dies too.
      const replay = await http().post('/api/v1/auth/refresh').send({ refresh_token: first.refresh_token });
      expect(replay.status).toBe(401);
      const live = await http().post('/api/v1/auth/refresh').send({ refresh_token: third.body.refresh_token });
      expect(live.status).toBe(401);

      // Other sessions are untouched.
      expect((await http().post('/api/v1/auth/refresh').send({ refresh_token: root.refresh_token })).status).toBe(200);
    });

    it('stores refresh tokens hashed', async () => {
      const session = await app.signIn('root');
      const rows = await sql('SELECT token_hash FROM refresh_tokens');
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.token_hash).not.toContain(session.refresh_token);
    });
  });

  describe('API tokens', () => {
    it('is shown once, stored hashed, listed without the secret, and works as a bearer token', async () => {
      const created = await createToken(root, { name: 'ci-nightly', role: 'operator' });
      expect(created.status).toBe(201);
      const secret = created.body.token as string;
      expect(secret).toMatch(/^dst_[A-Za-z0-9_-]{32,}$/);
      expect(created.body).toMatchObject({ name: 'ci-nightly', role: 'operator', revoked_at: null });
      expect(secret.startsWith(created.body.prefix)).toBe(true);

      const list = await http().get('/api/v1/api-tokens').set(bearer(root.access_token));
      expect(list.status).toBe(200);
      expect(JSON.stringify(list.body)).not.toContain(secret);
      expect(list.body.items.map((t: { id: string }) => t.id)).toContain(created.body.id);

      const rows = await sql('SELECT token_hash, prefix FROM api_tokens WHERE id = $1', [created.body.id]);
      expect(rows[0].token_hash).not.toContain(secret.slice(4));

      const asToken = await me(secret);
      expect(asToken.status).toBe(200);
      expect(asToken.body.username).toBe('root');
      // It acts with its own role: an operator token may not manage tokens.
      expect((await http().get('/api/v1/api-tokens').set(bearer(secret))).status).toBe(403);
    });

    it('answers 401 on the very next call after it is revoked', async () => {
      const created = await createToken(root, { name: 'short-lived', role: 'viewer' });
      const secret = created.body.token as string;
      expect((await me(secret)).status).toBe(200);
      const revoked = await http().delete(`/api/v1/api-tokens/${created.body.id}`).set(bearer(root.access_token));
      expect(revoked.status).toBe(204);
      const after = await me(secret);
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('INVALID_TOKEN');
    });

    it('answers 401 once it has expired', async () => {
      const created = await createToken(root, { name: 'expiring', role: 'viewer', expires_at: '2099-01-01T00:00:00Z' });
      expect((await me(created.body.token)).status).toBe(200);
      await sql("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1", [created.body.id]);
      expect((await me(created.body.token)).status).toBe(401);
    });

    it('refuses an expiry in the past, naming the field, and creates nothing', async () => {
      const before = await sql('SELECT count(*)::int AS n FROM api_tokens');
      const response = await createToken(root, { name: 'late', role: 'viewer', expires_at: '2001-01-01T00:00:00Z' });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: 'expires_at', message: 'expires_at must be in the future' }]);
      expect(await sql('SELECT count(*)::int AS n FROM api_tokens')).toEqual(before);
    });

    it('may not outrank its creator', async () => {
      const admin = await member('ada', 'admin');
      const response = await createToken(admin, { name: 'too-strong', role: 'owner' });
      expect(response.status).toBe(403);
      expect((await createToken(admin, { name: 'fine', role: 'admin' })).status).toBe(201);
    });

    it('is capped by its creator’s current role, and dies when the creator leaves the tenant', async () => {
      const admin = await member('bert', 'admin');
      const token = (await createToken(admin, { name: 'bert-ci', role: 'admin' })).body.token as string;
      expect((await http().get('/api/v1/api-tokens').set(bearer(token))).status).toBe(200);

      await http()
        .patch(`/api/v1/members/${admin.membershipId}`)
        .set(bearer(root.access_token))
        .send({ role: 'viewer' })
        .expect(200);
      expect((await http().get('/api/v1/api-tokens').set(bearer(token))).status).toBe(403);
      expect((await me(token)).status).toBe(200);

      await http().delete(`/api/v1/members/${admin.membershipId}`).set(bearer(root.access_token)).expect(204);
      expect((await me(token)).status).toBe(401);
      // The creator's own session ends with the membership too.
      expect((await me(admin.access_token)).status).toBe(401);
    });

    it('sets last_used_at on its first use, then at most once a minute (issue 14)', async () => {
      const created = await createToken(root, { name: 'used-often', role: 'viewer' });
      const secret = created.body.token as string;
      const lastUsed = async () =>
        (await sql('SELECT last_used_at FROM api_tokens WHERE id = $1', [created.body.id]))[0]
          .last_used_at as Date | null;
      expect(created.body.last_used_at).toBeNull();
      expect(await lastUsed()).toBeNull();

      expect((await me(secret)).status).toBe(200);
      const first = await lastUsed();
      expect(first).not.toBeNull();
      expect(Math.abs(Date.now() - first!.getTime())).toBeLessThan(10_000);
      const listed = await http().get('/api/v1/api-tokens').set(bearer(root.access_token)).expect(200);
      expect(listed.body.items.find((t: { id: string }) => t.id === created.body.id).last_used_at).toBe(
        first!.toISOString(),
      );

      // Within the minute: no write, the value stays.
      for (let i = 0; i < 3; i++) expect((await me(secret)).status).toBe(200);
      expect(await lastUsed()).toEqual(first);

      // Once it is older than a minute, the next use updates it, also when many requests come at once.
      await sql("UPDATE api_tokens SET last_used_at = now() - interval '61 seconds' WHERE id = $1", [created.body.id]);
      const stale = await lastUsed();
      const answers = await Promise.all(Array.from({ length: 8 }, () => me(secret)));
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
      const updated = await lastUsed();
      expect(updated!.getTime()).toBeGreaterThan(stale!.getTime() + 60_000);
      expect(Math.abs(Date.now() - updated!.getTime())).toBeLessThan(10_000);
    });

    it('records token creation and revocation in the activity log', async () => {
      const response = await http().get('/api/v1/activity-logs?limit=100').set(bearer(root.access_token));
      const actions = new Set((response.body.items as { event: string }[]).map((e) => e.event));
      expect([...actions]).toEqual(expect.arrayContaining(['api_token.create', 'api_token.revoke']));
    });
  });
});
