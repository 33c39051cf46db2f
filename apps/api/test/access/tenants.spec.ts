import { bearer, type Session } from '../helpers/auth';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

// Tenants through HTTP: the instance admin creates and renames them; nobody else may.
describe('tenants: create and rename', () => {
  let app: SignedInApp;
  let root: Session;
  let member: Session;

  beforeAll(async () => {
    app = await startSignedIn();
    root = app.root;
    // An owner of nothing but an admin of the first tenant: still not an instance admin.
    member = await app.member('tess', 'admin');
  });
  afterAll(() => app.api.close());

  const create = (name: string, slug: string) =>
    app.http().post('/api/v1/tenants').set(bearer(root.access_token)).send({ name, slug });
  const rename = (session: Session, id: string, body: Record<string, unknown>) =>
    app.http().patch(`/api/v1/tenants/${id}`).set(bearer(session.access_token)).send(body);

  it('renames a tenant (name, slug or both), lists it so and logs it with its name', async () => {
    const acme = (await create('Acme', 'acme').expect(201)).body as { id: string };
    const renamed = await rename(root, acme.id, { name: '  Acme Corp ' }).expect(200);
    expect(renamed.body).toMatchObject({ id: acme.id, name: 'Acme Corp', slug: 'acme' });
    const moved = await rename(root, acme.id, { slug: 'acme-corp' }).expect(200);
    expect(moved.body).toMatchObject({ name: 'Acme Corp', slug: 'acme-corp' });
    const both = await rename(root, acme.id, { name: 'Acme Ltd', slug: 'acme-ltd' }).expect(200);
    expect(both.body).toMatchObject({ name: 'Acme Ltd', slug: 'acme-ltd' });

    const all = await app.http().get('/api/v1/tenants/all?limit=100').set(bearer(root.access_token)).expect(200);
    expect(all.body.items.find((t: { id: string }) => t.id === acme.id)).toMatchObject({ name: 'Acme Ltd' });
    // The owner sees the new name in their tenant list.
    const mine = await app.http().get('/api/v1/tenants').set(bearer(root.access_token)).expect(200);
    expect(mine.body.find((t: { id: string }) => t.id === acme.id)).toMatchObject({ name: 'Acme Ltd', role: 'owner' });

    const inAcme = await app
      .http()
      .post('/api/v1/auth/switch-tenant')
      .set(bearer(root.access_token))
      .send({ tenant_id: acme.id })
      .expect(200);
    const log = await app
      .http()
      .get('/api/v1/activity-logs?resource_type=Tenant&limit=100')
      .set(bearer(inAcme.body.access_token))
      .expect(200);
    expect(log.body.items.map((e: { event: string; resource_name: string }) => [e.event, e.resource_name])).toEqual([
      ['tenant.update', 'Acme Ltd'],
      ['tenant.update', 'Acme Corp'],
      ['tenant.update', 'Acme Corp'],
      ['tenant.create', 'Acme'],
    ]);
  });

  const fieldsOf = (body: { errors: { field: string }[] }) => [...new Set(body.errors.map((e) => e.field))];

  it('answers 400 naming the field, 409 for a taken slug, 404 for no such tenant', async () => {
    const beta = (await create('Beta', 'beta').expect(201)).body as { id: string };
    await create('Gamma', 'gamma').expect(201);

    const badSlug = await rename(root, beta.id, { slug: 'Not A Slug' }).expect(400);
    expect(fieldsOf(badSlug.body)).toEqual(['slug']);
    const badName = await rename(root, beta.id, { name: 42 }).expect(400);
    expect(fieldsOf(badName.body)).toEqual(['name']);
    const empty = await rename(root, beta.id, {}).expect(400);
    expect(fieldsOf(empty.body)).toEqual(['name']);

    const taken = await rename(root, beta.id, { slug: 'gamma' }).expect(409);
    expect(taken.body).toMatchObject({ code: 'SLUG_TAKEN', errors: [{ field: 'slug' }] });
    const unchanged = await app.http().get('/api/v1/tenants/all?limit=100').set(bearer(root.access_token));
    expect(unchanged.body.items.find((t: { id: string }) => t.id === beta.id)).toMatchObject({ slug: 'beta' });

    await rename(root, '00000000-0000-4000-8000-000000000000', { name: 'Nobody' }).expect(404);
    await rename(root, 'not-a-uuid', { name: 'Nobody' }).expect(400);
  });

  it('refuses anyone but the instance admin', async () => {
    const delta = (await create('Delta', 'delta').expect(201)).body as { id: string };
    await rename(member, delta.id, { name: 'Mine now' }).expect(403);
    await app
      .http()
      .post('/api/v1/tenants')
      .set(bearer(member.access_token))
      .send({ name: 'X', slug: 'x' })
      .expect(403);
    await app.http().get('/api/v1/tenants/all').set(bearer(member.access_token)).expect(403);
  });
});
