import request from 'supertest';
import { Client } from 'pg';
import type { TestApp } from '../helpers/app';
import { bearer, type Session } from '../helpers/auth';
import { uniqueWebhook } from '../helpers/discord';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';
import { describeOperation, documentedOperations, send, type Operation } from '../helpers/openapi';

// A member of tenant A probing tenant B's resources by id: every route answers 404, as if
// the id did not exist. Resource kinds are keyed by the route's first segment after /api/v1,
// and every route with a path parameter must have tenant-B ids to try.
describe('tenant isolation', () => {
  let app: SignedInApp;
  let api: TestApp;
  let root: Session;
  let alice: Session;
  let tenantB: { id: string };
  const idsOfTenantB = new Map<string, string[]>();
  const http = () => request(api.app.getHttpServer());

  beforeAll(async () => {
    app = await startSignedIn();
    ({ api, root } = app);
    // Alice is an owner in tenant A (the first tenant) and nothing in B.
    alice = await app.member('alice', 'owner');

    tenantB = (
      await http()
        .post('/api/v1/tenants')
        .set(bearer(root.access_token))
        .send({ name: 'Beta', slug: 'beta' })
        .expect(201)
    ).body;
    const inB = (
      await http()
        .post('/api/v1/auth/switch-tenant')
        .set(bearer(root.access_token))
        .send({ tenant_id: tenantB.id })
        .expect(200)
    ).body as Session;
    const asB = bearer(inB.access_token);
    await http()
      .post('/api/v1/members')
      .set(asB)
      .send({ username: 'bob', email: 'bob@example.com', role: 'admin' })
      .expect(202);
    // Bob's first sign-in accepts the invitation that created him.
    await app.signIn('bob');
    const membersOfB = (await http().get('/api/v1/members').set(asB)).body.items as {
      id: string;
      user: { username: string };
    }[];
    const member = membersOfB.find((m) => m.user.username === 'bob')!;
    const ownerMembership = membersOfB.find((m) => m.user.username === 'root')!;
    const invitation = await http()
      .post('/api/v1/members')
      .set(asB)
      .send({ username: 'carl', email: 'carl@example.com', role: 'viewer' })
      .expect(202);
    const token = await http().post('/api/v1/api-tokens').set(asB).send({ name: 'b-ci', role: 'viewer' }).expect(201);
    const storage = await http()
      .post('/api/v1/storage')
      .set(asB)
      .send({ name: 'b-disk', provider: 'local' })
      .expect(201);
    const notification = await http()
      .post('/api/v1/notifications')
      .set(asB)
      .send({ name: 'b-ops', discord_webhook_url: uniqueWebhook().url })
      .expect(201);
    const database = await http()
      .post('/api/v1/databases')
      .set(asB)
      .send({ name: 'b-db', host: '127.0.0.1', dbname: 'b', user: 'b', storage_id: storage.body.id })
      .expect(201);
    const backup = await http().post(`/api/v1/databases/${database.body.id}/backup`).set(asB).expect(202);
    // A restore needs a successful backup; for an id that exists in tenant B, the row is enough.
    const client = new Client({ connectionString: api.databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ id: string }>(
      "INSERT INTO restores (id, tenant_id, backup_id, status, updated_at) VALUES (gen_random_uuid(), $1, $2, 'failed', now()) RETURNING id",
      [tenantB.id, backup.body.id],
    );
    await client.end();
    idsOfTenantB.set('backups', [backup.body.id]);
    idsOfTenantB.set('restores', [rows[0].id]);
    idsOfTenantB.set('storage', [storage.body.id]);
    idsOfTenantB.set('notifications', [notification.body.id]);
    idsOfTenantB.set('databases', [database.body.id]);
    idsOfTenantB.set('members', [member.id, ownerMembership.id]);
    idsOfTenantB.set('invitations', [invitation.body.id]);
    // users/me/invitations/{id}/…: tenant B's invitation is not alice's to answer.
    idsOfTenantB.set('users', [invitation.body.id]);
    idsOfTenantB.set('api-tokens', [token.body.id]);
  });
  afterAll(() => api.close());

  const resourceKind = (op: Operation) => op.path.replace('/api/v1/', '').split('/')[0];

  it('answers 404 on every route that takes an id, for every id of tenant B', async () => {
    // A public route with an id carries its own credential, bound to one backup (a download link's
    // token): without one it is a 400, with a link for another backup a 403 (download-links.spec).
    // An instance-admin route (PATCH /tenants/{id}) acts on any tenant by design: a member is refused
    // it with 403 whatever the id (role-matrix.spec, tenants.spec).
    const routes = (await documentedOperations(api)).filter(
      (op) => /\{\w+\}/.test(op.path) && op.requiredRole !== 'public' && op.requiredRole !== 'instance-admin',
    );
    expect(routes.length).toBeGreaterThan(0);
    const answers: string[] = [];
    const expected: string[] = [];
    for (const op of routes) {
      const ids = idsOfTenantB.get(resourceKind(op));
      if (!ids) throw new Error(`${describeOperation(op)}: add tenant-B ids of '${resourceKind(op)}' to this test`);
      for (const id of ids) {
        const response = await send(api, op, id, { token: alice.access_token });
        answers.push(`${describeOperation(op)} ${id} → ${response.status} ${response.body?.code}`);
        expected.push(`${describeOperation(op)} ${id} → 404 NOT_FOUND`);
      }
    }
    expect(answers).toEqual(expected);
  });

  it('changes nothing in tenant B while answering 404', async () => {
    const asRootInB = (
      await http().post('/api/v1/auth/switch-tenant').set(bearer(root.access_token)).send({ tenant_id: tenantB.id })
    ).body as Session;
    const members = (await http().get('/api/v1/members').set(bearer(asRootInB.access_token))).body.items;
    expect(
      members.map((m: { user: { username: string }; role: string }) => `${m.user.username}:${m.role}`).sort(),
    ).toEqual(['bob:admin', 'root:owner']);
    const tokens = (await http().get('/api/v1/api-tokens').set(bearer(asRootInB.access_token))).body.items;
    expect(tokens.map((t: { revoked_at: string | null }) => t.revoked_at)).toEqual([null]);
  });

  it('never lists tenant B resources to a tenant A member', async () => {
    const body = JSON.stringify([
      (await http().get('/api/v1/members?limit=100').set(bearer(alice.access_token))).body,
      (await http().get('/api/v1/invitations?limit=100').set(bearer(alice.access_token))).body,
      (await http().get('/api/v1/users/me/invitations').set(bearer(alice.access_token))).body,
      (await http().get('/api/v1/api-tokens?limit=100').set(bearer(alice.access_token))).body,
      (await http().get('/api/v1/activity-logs?limit=100').set(bearer(alice.access_token))).body,
      (await http().get('/api/v1/tenants').set(bearer(alice.access_token))).body,
      (await http().get('/api/v1/storage?limit=100').set(bearer(alice.access_token))).body,
      (await http().get('/api/v1/notifications?limit=100').set(bearer(alice.access_token))).body,
      (await http().get('/api/v1/databases?limit=100').set(bearer(alice.access_token))).body,
    ]);
    for (const ids of idsOfTenantB.values()) for (const id of ids) expect(body).not.toContain(id);
    expect(body).not.toContain(tenantB.id);
    expect(body).not.toContain('"bob"');
  });

  it('will not switch into, or sign in to, a tenant the user is not a member of', async () => {
    const switched = await http()
      .post('/api/v1/auth/switch-tenant')
      .set(bearer(alice.access_token))
      .send({ tenant_id: tenantB.id });
    expect(switched.status).toBe(404);
    await expect(app.signIn('alice', { tenantId: tenantB.id })).rejects.toThrow(/verify answered 404/);
  });

  it('refuses tenant administration to a tenant owner who is not the instance admin', async () => {
    expect((await http().get('/api/v1/tenants/all').set(bearer(alice.access_token))).status).toBe(403);
    const all = await http().get('/api/v1/tenants/all').set(bearer(root.access_token));
    expect(all.body.items.map((t: { slug: string }) => t.slug)).toEqual(expect.arrayContaining(['beta']));
  });
});
