import request from 'supertest';
import type { TestApp } from '../helpers/app';
import { bearer, type Session } from '../helpers/auth';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

// Membership management through HTTP: invite, change role, remove; a tenant always keeps an owner.
// (Invitations of users who exist elsewhere: test/access/invitations.spec.ts.)
describe('members', () => {
  let app: SignedInApp;
  let api: TestApp;
  let root: Session;
  let rootMembershipId: string;
  const http = () => request(api.app.getHttpServer());

  const invite = (session: Session, username: string, role: string) =>
    http()
      .post('/api/v1/members')
      .set(bearer(session.access_token))
      .send({ username, email: `${username}@example.com`, role });

  /** The membership id of `username` in root's tenant. */
  const membershipOf = async (username: string): Promise<string> => {
    const list = await http().get('/api/v1/members?limit=100').set(bearer(root.access_token)).expect(200);
    return list.body.items.find((m: { user: { username: string } }) => m.user.username === username).id;
  };

  beforeAll(async () => {
    app = await startSignedIn();
    ({ api, root } = app);
    const list = await http().get('/api/v1/members').set(bearer(root.access_token));
    rootMembershipId = list.body.items[0].id;
  });
  afterAll(() => api.close());

  it('invites a new user, who joins with the role at their first sign-in', async () => {
    const response = await invite(root, 'carol', 'operator');
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      role: 'operator',
      status: 'pending',
      username: 'carol',
      email: 'carol@example.com',
      tenant: { id: root.tenant.id },
    });
    const carol = await app.signIn('carol');
    expect(carol.tenant).toMatchObject({ id: root.tenant.id, role: 'operator' });
  });

  it('names the bad fields and creates nothing on bad input', async () => {
    const response = await http()
      .post('/api/v1/members')
      .set(bearer(root.access_token))
      .send({ username: 'x', email: 'not-an-email', role: 'god' });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'role', 'username']);
    const list = await http().get('/api/v1/members?limit=100').set(bearer(root.access_token));
    expect(list.body.items.map((m: { user: { username: string } }) => m.user.username)).not.toContain('x');
  });

  it('refuses a duplicate membership', async () => {
    const again = await invite(root, 'carol', 'viewer');
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_MEMBER');
  });

  it('lets an admin grant at most their own role', async () => {
    await invite(root, 'dave', 'admin').expect(202);
    const dave = await app.signIn('dave');
    expect((await invite(dave, 'eve', 'owner')).status).toBe(403);
    expect((await invite(dave, 'eve', 'admin')).status).toBe(202);
    // …and may not touch the owner.
    const demote = await http()
      .patch(`/api/v1/members/${rootMembershipId}`)
      .set(bearer(dave.access_token))
      .send({ role: 'viewer' });
    expect(demote.status).toBe(403);
  });

  it('always keeps an owner: the last owner can be neither demoted nor removed', async () => {
    const demote = await http()
      .patch(`/api/v1/members/${rootMembershipId}`)
      .set(bearer(root.access_token))
      .send({ role: 'admin' });
    expect(demote.status).toBe(409);
    expect(demote.body.code).toBe('LAST_OWNER');
    const remove = await http().delete(`/api/v1/members/${rootMembershipId}`).set(bearer(root.access_token));
    expect(remove.status).toBe(409);

    // With a second owner, the first may step down.
    await invite(root, 'frank', 'owner').expect(202);
    const asFrank = await app.signIn('frank');
    await http()
      .patch(`/api/v1/members/${rootMembershipId}`)
      .set(bearer(root.access_token))
      .send({ role: 'admin' })
      .expect(200);
    await http()
      .patch(`/api/v1/members/${rootMembershipId}`)
      .set(bearer(asFrank.access_token))
      .send({ role: 'owner' })
      .expect(200);
    await http()
      .delete(`/api/v1/members/${await membershipOf('frank')}`)
      .set(bearer(root.access_token))
      .expect(204);
  });

  it('takes effect at once: a removed member’s session stops working', async () => {
    await invite(root, 'gina', 'viewer').expect(202);
    const session = await app.signIn('gina');
    expect((await http().get('/api/v1/members').set(bearer(session.access_token))).status).toBe(200);
    await http()
      .delete(`/api/v1/members/${await membershipOf('gina')}`)
      .set(bearer(root.access_token))
      .expect(204);
    expect((await http().get('/api/v1/members').set(bearer(session.access_token))).status).toBe(401);
  });

  it('records membership changes with who, what, when, IP and outcome', async () => {
    const response = await http().get('/api/v1/activity-logs?limit=100').set(bearer(root.access_token));
    const entries = (response.body.items as Record<string, unknown>[]).filter((e) =>
      /^(membership|invitation)\./.test(String(e.event)),
    );
    expect(entries.map((e) => e.event)).toEqual(
      expect.arrayContaining(['invitation.create', 'invitation.accept', 'membership.update', 'membership.delete']),
    );
    for (const entry of entries) {
      expect(entry).toMatchObject({ outcome: 'success', ip: expect.any(String), created_at: expect.any(String) });
      expect(entry.user_id).toEqual(expect.any(String));
    }
  });
});
