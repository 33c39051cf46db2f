import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { sql as runSql } from '../helpers/engine';
import { ROLES_BY_RANK } from '../../src/common/auth/roles';
import type { TestApp } from '../helpers/app';
import { bearer, type Session } from '../helpers/auth';
import { describeOperation, documentedOperations, send, type Operation } from '../helpers/openapi';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

// Issue 9, finding 1 and the token half of 2: an API token acts within its role and tenant
// and can never turn into a session, a new token, or a change of where sign-in codes go.
describe('API tokens are not sessions', () => {
  let app: SignedInApp;
  let api: TestApp;
  let root: Session;
  let operations: Operation[];
  const http = () => request(api.app.getHttpServer());

  const sql = (text: string, values: unknown[] = []) => runSql(api.databaseUrl, text, values);

  /** What a token could have issued or changed: sessions, tokens, and the account's sign-in settings. */
  const footprint = () =>
    sql(`SELECT (SELECT count(*)::int FROM refresh_tokens) AS sessions,
                (SELECT count(*)::int FROM api_tokens) AS tokens,
                (SELECT count(*)::int FROM login_challenges) AS codes,
                (SELECT json_agg(json_build_object('u', username, 'd', discord_delivery, 'w', discord_webhook_url_encrypted,
                   't', totp_enabled, 's', totp_secret_encrypted, 'n', display_name) ORDER BY username) FROM users) AS users`);

  async function tokenOf(session: Session, role: string): Promise<{ id: string; token: string }> {
    const created = await http()
      .post('/api/v1/api-tokens')
      .set(bearer(session.access_token))
      .send({ name: `${role}-${randomUUID().slice(0, 8)}`, role })
      .expect(201);
    return { id: created.body.id, token: created.body.token };
  }

  beforeAll(async () => {
    app = await startSignedIn();
    ({ api, root } = app);
    operations = await documentedOperations(api);
  });
  afterAll(() => api.close());

  it('marks every session and account route as session-only in the OpenAPI document', () => {
    const sessionOnly = operations.filter((op) => op.sessionOnly).map(describeOperation);
    expect(sessionOnly).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/switch-tenant',
        'POST /api/v1/auth/confirmation-code',
        'POST /api/v1/auth/2fa/setup',
        'POST /api/v1/auth/2fa/verify-setup',
        'POST /api/v1/auth/2fa/disable',
        'PATCH /api/v1/users/me',
        'POST /api/v1/api-tokens',
      ]),
    );
  });

  for (const role of ROLES_BY_RANK) {
    it(`refuses a ${role} token (of the instance admin) on every session-only route, issuing nothing`, async () => {
      const { token } = await tokenOf(root, role);
      const before = await footprint();
      const outcomes: string[] = [];
      for (const op of operations.filter((o) => o.sessionOnly)) {
        const body =
          op.path === '/api/v1/auth/switch-tenant'
            ? { tenant_id: root.tenant.id }
            : op.path === '/api/v1/users/me'
              ? { discord_delivery: 'webhook', discord_webhook_url: 'https://discord.com/api/webhooks/1/attacker' }
              : op.exampleBody;
        const response = await send(api, op, randomUUID(), { token, body });
        outcomes.push(`${describeOperation(op)} → ${response.status} ${(response.body as { code?: string }).code}`);
        expect(JSON.stringify(response.body)).not.toMatch(/access_token|refresh_token|dst_/);
      }
      expect(outcomes).toEqual(
        operations.filter((o) => o.sessionOnly).map((op) => `${describeOperation(op)} → 403 SESSION_REQUIRED`),
      );
      expect(await footprint()).toEqual(before);
    });
  }

  it("does not let the instance admin's token act as the instance admin", async () => {
    const { token } = await tokenOf(root, 'owner');
    expect((await http().get('/api/v1/tenants/all').set(bearer(token))).status).toBe(403);
    expect((await http().post('/api/v1/tenants').set(bearer(token)).send({ name: 'X', slug: 'x-t' })).status).toBe(403);
  });

  it('keeps a token of a user in two tenants inside its own tenant', async () => {
    const other = await http()
      .post('/api/v1/tenants')
      .set(bearer(root.access_token))
      .send({ name: 'Other', slug: `other-${randomUUID().slice(0, 6)}` })
      .expect(201);
    const { token } = await tokenOf(root, 'owner');
    const switched = await http()
      .post('/api/v1/auth/switch-tenant')
      .set(bearer(token))
      .send({ tenant_id: other.body.id });
    expect(switched.status).toBe(403);
    expect(switched.body.access_token).toBeUndefined();
    // Still the tenant the token belongs to.
    const tenants = await http().get('/api/v1/tenants').set(bearer(token));
    expect(tenants.status).toBe(200);
    const members = await http().get('/api/v1/members').set(bearer(token)).expect(200);
    expect(members.body.items.every((m: { user: { username: string } }) => m.user.username)).toBe(true);
    const rows = await sql('SELECT tenant_id FROM api_tokens WHERE token_hash IS NOT NULL AND prefix = $1', [
      token.slice(0, 12),
    ]);
    expect(rows).toEqual([{ tenant_id: root.tenant.id }]);
  });

  it('leaves nothing behind once revoked: the token was never able to derive a credential', async () => {
    const { id, token } = await tokenOf(root, 'owner');
    const before = await footprint();
    // Every way a token could have derived a longer-lived credential, tried before the revocation.
    await http().post('/api/v1/auth/switch-tenant').set(bearer(token)).send({ tenant_id: root.tenant.id });
    await http().post('/api/v1/api-tokens').set(bearer(token)).send({ name: 'child', role: 'viewer' });
    await http().post('/api/v1/auth/refresh').set(bearer(token)).send({ refresh_token: token });
    expect(await footprint()).toEqual(before);

    await http().delete(`/api/v1/api-tokens/${id}`).set(bearer(root.access_token)).expect(204);
    for (const path of ['/api/v1/users/me', '/api/v1/tenants', '/api/v1/members']) {
      expect((await http().get(path).set(bearer(token))).status).toBe(401);
    }
  });

  it('still lets a token do what its role allows in its tenant (the control)', async () => {
    const { token } = await tokenOf(root, 'operator');
    expect((await http().get('/api/v1/users/me').set(bearer(token))).status).toBe(200);
    expect((await http().get('/api/v1/storage').set(bearer(token))).status).toBe(200);
    expect((await http().get('/api/v1/api-tokens').set(bearer(token))).status).toBe(403);
  });
});
