import request from 'supertest';
import type { TestApp } from '../helpers/app';
import { bearer, type Session } from '../helpers/auth';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

// Finding 8 of issue 9: POST /members pulled any existing user into a tenant without consent and
// told the inviter who exists (USER_MISMATCH, EMAIL_TAKEN). Now it creates an invitation that the
// user accepts or declines, and answers alike whoever the username and email belong to.
describe('member invitations', () => {
  let app: SignedInApp;
  let api: TestApp;
  let root: Session;
  /** An admin of tenant A (root's first tenant). */
  let adam: Session;
  /** Users of tenant B only. */
  let bella: Session;
  let cody: Session;
  let tenantB: { id: string };
  const http = () => request(api.app.getHttpServer());

  const invite = (session: Session, username: string, email: string, role = 'operator') =>
    http().post('/api/v1/members').set(bearer(session.access_token)).send({ username, email, role });
  const myInvitations = async (session: Session) =>
    (await http().get('/api/v1/users/me/invitations').set(bearer(session.access_token)).expect(200)).body as {
      id: string;
      role: string;
      tenant: { id: string };
    }[];
  const membersOf = async (session: Session): Promise<string[]> =>
    (await http().get('/api/v1/members?limit=100').set(bearer(session.access_token)).expect(200)).body.items.map(
      (m: { user: { username: string } }) => m.user.username,
    );
  const tenantsOf = async (session: Session): Promise<string[]> =>
    (await http().get('/api/v1/tenants').set(bearer(session.access_token)).expect(200)).body.map(
      (t: { id: string }) => t.id,
    );

  beforeAll(async () => {
    app = await startSignedIn();
    ({ api, root } = app);
    adam = await app.member('adam', 'admin');
    tenantB = (
      await http()
        .post('/api/v1/tenants')
        .set(bearer(root.access_token))
        .send({ name: 'Beta', slug: 'beta' })
        .expect(201)
    ).body;
    const rootInB = (
      await http()
        .post('/api/v1/auth/switch-tenant')
        .set(bearer(root.access_token))
        .send({ tenant_id: tenantB.id })
        .expect(200)
    ).body as Session;
    for (const username of ['bella', 'cody']) {
      await invite(rootInB, username, `${username}@example.com`, 'viewer').expect(202);
    }
    bella = await app.signIn('bella');
    cody = await app.signIn('cody');
  });
  afterAll(() => api.close());

  it('answers alike whether the username and email belong to a user of another tenant, to nobody, or half', async () => {
    const cases = {
      existing: ['bella', 'bella@example.com'],
      unknown: ['nobody', 'nobody@example.com'],
      usernameTaken: ['cody', 'not-cody@example.com'],
      emailTaken: ['someone', 'cody@example.com'],
    } as const;
    const shapes: Record<string, unknown> = {};
    for (const [name, [username, email]] of Object.entries(cases)) {
      const response = await invite(adam, username, email);
      expect({ name, status: response.status }).toEqual({ name, status: 202 });
      const { id, created_at, expires_at, ...rest } = response.body;
      expect(rest).toEqual({
        username,
        email,
        role: 'operator',
        status: 'pending',
        tenant: { id: adam.tenant.id, name: 'Default', slug: expect.any(String) },
        invited_by: { username: 'adam', display_name: null },
      });
      expect([typeof id, Date.parse(created_at) > 0, Date.parse(expires_at) > Date.now()]).toEqual([
        'string',
        true,
        true,
      ]);
      shapes[name] = Object.keys(response.body).sort();
      // Nothing in the headers differs either (besides the length of what was typed).
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    }
    expect(new Set(Object.values(shapes).map((keys) => JSON.stringify(keys))).size).toBe(1);

    // The tenant's pending list and activity log show the four alike.
    const pending = (await http().get('/api/v1/invitations').set(bearer(adam.access_token)).expect(200)).body;
    expect(pending.items.map((i: { username: string; status: string }) => `${i.username}:${i.status}`).sort()).toEqual([
      'bella:pending',
      'cody:pending',
      'nobody:pending',
      'someone:pending',
    ]);
    const log = (await http().get('/api/v1/activity-logs?event=invitation.create').set(bearer(root.access_token))).body
      .items as { details: Record<string, unknown> }[];
    expect(new Set(log.map((e) => JSON.stringify(Object.keys(e.details).sort()))).size).toBe(1);
  });

  it('refuses again only what the tenant knows itself: its members and its pending invitations', async () => {
    const member = await invite(adam, 'adam', 'adam@example.com');
    expect([member.status, member.body.code]).toEqual([409, 'ALREADY_MEMBER']);
    for (const [username, email] of [
      ['bella', 'bella@example.com'],
      ['someone', 'someone@example.com'],
      ['other', 'nobody@example.com'],
    ]) {
      const again = await invite(adam, username, email);
      expect([username, again.status, again.body.code]).toEqual([username, 409, 'ALREADY_INVITED']);
    }
  });

  it('does not make the existing user a member until they accept', async () => {
    expect(await membersOf(adam)).not.toContain('bella');
    expect(await tenantsOf(bella)).toEqual([tenantB.id]);
    const switched = await http()
      .post('/api/v1/auth/switch-tenant')
      .set(bearer(bella.access_token))
      .send({ tenant_id: adam.tenant.id });
    expect(switched.status).toBe(404);
  });

  it('shows the user only the invitation that named both their username and email', async () => {
    const invitations = await myInvitations(bella);
    expect(invitations).toHaveLength(1);
    expect(invitations[0]).toMatchObject({ username: 'bella', role: 'operator', tenant: { id: adam.tenant.id } });
    // cody: one invitation had his username, another his email, none both.
    expect(await myInvitations(cody)).toEqual([]);
  });

  it("answers 404 to anyone answering someone else's invitation", async () => {
    const [invitation] = await myInvitations(bella);
    for (const answer of ['accept', 'decline']) {
      const response = await http()
        .post(`/api/v1/users/me/invitations/${invitation.id}/${answer}`)
        .set(bearer(cody.access_token));
      expect([answer, response.status, response.body.code]).toEqual([answer, 404, 'NOT_FOUND']);
    }
    // Nor can the inviting admin answer for her.
    const byAdmin = await http()
      .post(`/api/v1/users/me/invitations/${invitation.id}/accept`)
      .set(bearer(adam.access_token));
    expect(byAdmin.status).toBe(404);
    expect(await membersOf(adam)).not.toContain('bella');
  });

  it('refuses API tokens on the invited user’s routes (a session is needed)', async () => {
    const token = (
      await http()
        .post('/api/v1/api-tokens')
        .set(bearer(root.access_token))
        .send({ name: 'ci', role: 'viewer' })
        .expect(201)
    ).body.token as string;
    const [invitation] = await myInvitations(bella);
    const list = await http().get('/api/v1/users/me/invitations').set(bearer(token));
    expect([list.status, list.body.code]).toEqual([403, 'SESSION_REQUIRED']);
    for (const answer of ['accept', 'decline']) {
      const response = await http().post(`/api/v1/users/me/invitations/${invitation.id}/${answer}`).set(bearer(token));
      expect([answer, response.status]).toEqual([answer, 403]);
    }
    expect(await membersOf(adam)).not.toContain('bella');
  });

  it('makes the user a member with the invited role once they accept, once', async () => {
    const [invitation] = await myInvitations(bella);
    const accepted = await http()
      .post(`/api/v1/users/me/invitations/${invitation.id}/accept`)
      .set(bearer(bella.access_token))
      .expect(200);
    expect(accepted.body).toEqual({ id: adam.tenant.id, name: 'Default', slug: expect.any(String), role: 'operator' });
    expect(await membersOf(adam)).toContain('bella');
    expect((await tenantsOf(bella)).sort()).toEqual([adam.tenant.id, tenantB.id].sort());
    const inA = await http()
      .post('/api/v1/auth/switch-tenant')
      .set(bearer(bella.access_token))
      .send({ tenant_id: adam.tenant.id })
      .expect(200);
    expect(inA.body.tenant).toMatchObject({ id: adam.tenant.id, role: 'operator' });
    expect(await myInvitations(bella)).toEqual([]);
    const again = await http()
      .post(`/api/v1/users/me/invitations/${invitation.id}/accept`)
      .set(bearer(bella.access_token));
    expect(again.status).toBe(404);
    const pending = (await http().get('/api/v1/invitations').set(bearer(adam.access_token))).body.items;
    expect(pending.map((i: { username: string }) => i.username)).not.toContain('bella');
  });

  it('changes nothing when the user declines', async () => {
    await invite(adam, 'cody', 'cody@example.com', 'viewer').expect(409); // a pending one names cody already
    const stale = (await http().get('/api/v1/invitations').set(bearer(adam.access_token))).body.items.find(
      (i: { username: string }) => i.username === 'cody',
    );
    await http().delete(`/api/v1/invitations/${stale.id}`).set(bearer(adam.access_token)).expect(204);
    const stale2 = (await http().get('/api/v1/invitations').set(bearer(adam.access_token))).body.items.find(
      (i: { email: string }) => i.email === 'cody@example.com',
    );
    await http().delete(`/api/v1/invitations/${stale2.id}`).set(bearer(adam.access_token)).expect(204);

    await invite(adam, 'cody', 'cody@example.com', 'viewer').expect(202);
    const [invitation] = await myInvitations(cody);
    expect(invitation).toMatchObject({ role: 'viewer', tenant: { id: adam.tenant.id } });
    await http()
      .post(`/api/v1/users/me/invitations/${invitation.id}/decline`)
      .set(bearer(cody.access_token))
      .expect(204);
    expect(await membersOf(adam)).not.toContain('cody');
    expect(await tenantsOf(cody)).toEqual([tenantB.id]);
    expect(await myInvitations(cody)).toEqual([]);
    const accept = await http()
      .post(`/api/v1/users/me/invitations/${invitation.id}/accept`)
      .set(bearer(cody.access_token));
    expect(accept.status).toBe(404);
  });

  it('lets an admin revoke a pending invitation, after which it cannot be accepted', async () => {
    await invite(adam, 'cody', 'cody@example.com', 'viewer').expect(202);
    const [invitation] = await myInvitations(cody);
    await http().delete(`/api/v1/invitations/${invitation.id}`).set(bearer(adam.access_token)).expect(204);
    expect(await myInvitations(cody)).toEqual([]);
    const accept = await http()
      .post(`/api/v1/users/me/invitations/${invitation.id}/accept`)
      .set(bearer(cody.access_token));
    expect(accept.status).toBe(404);
    // Only admins list or revoke; an operator of the tenant may not.
    const olga = await app.member('olga', 'operator');
    expect((await http().get('/api/v1/invitations').set(bearer(olga.access_token))).status).toBe(403);
  });

  it('lets a user created by an invitation join at first sign-in', async () => {
    const nobody = await app.signIn('nobody');
    expect(nobody.tenant).toMatchObject({ id: adam.tenant.id, role: 'operator' });
    expect(await membersOf(adam)).toContain('nobody');
  });

  it('records invite, accept, decline and revoke in the inviting tenant’s activity log', async () => {
    const entries = (
      await http().get('/api/v1/activity-logs?limit=100').set(bearer(root.access_token)).expect(200)
    ).body.items.filter((e: { event: string }) => e.event.startsWith('invitation.')) as {
      event: string;
      ip: string | null;
    }[];
    expect(new Set(entries.map((e) => e.event))).toEqual(
      new Set(['invitation.create', 'invitation.accept', 'invitation.decline', 'invitation.revoke']),
    );
    for (const entry of entries) expect(entry.ip).toEqual(expect.any(String));
  });
});
