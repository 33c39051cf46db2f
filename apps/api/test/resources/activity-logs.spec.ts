import request from 'supertest';
import type { TestApp } from '../helpers/app';
import { bearer, type Session } from '../helpers/auth';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

type Entry = {
  id: string;
  action: string;
  event: string;
  level: string;
  outcome: string;
  resource_type: string | null;
  resource_name: string | null;
  user_name: string | null;
};

// Issue 10: the activity log as documented: broad `action` categories, the precise `event`,
// documented levels and resource types, and names next to ids; each is a filter.
describe('activity log contract', () => {
  let app: SignedInApp;
  let api: TestApp;
  let root: Session;
  const http = () => request(api.app.getHttpServer());
  const list = async (query: string) =>
    (await http().get(`/api/v1/activity-logs?limit=100&${query}`).set(bearer(root.access_token)).expect(200)).body
      .items as Entry[];

  beforeAll(async () => {
    app = await startSignedIn();
    ({ api, root } = app);
    const storage = await http()
      .post('/api/v1/storage')
      .set(bearer(root.access_token))
      .send({ name: 'disk-one', provider: 'local' })
      .expect(201);
    await http()
      .patch(`/api/v1/storage/${storage.body.id}`)
      .set(bearer(root.access_token))
      .send({ name: 'disk-renamed' })
      .expect(200);
    await http().delete(`/api/v1/storage/${storage.body.id}`).set(bearer(root.access_token)).expect(204);
    // A failed sign-in attempt: a warning.
    await http().post('/api/v1/auth/verify').send({ username: 'root', otp: '000000' });
  });
  afterAll(() => api.close());

  it('carries action, event, level, resource type and name, and who did it', async () => {
    const entries = await list('resource_type=Storage');
    expect(entries.map((e) => [e.action, e.event, e.level, e.resource_type, e.resource_name, e.user_name])).toEqual([
      ['Delete', 'storage.delete', 'Info', 'Storage', 'disk-renamed', 'root'],
      ['Update', 'storage.update', 'Info', 'Storage', 'disk-renamed', 'root'],
      ['Create', 'storage.create', 'Info', 'Storage', 'disk-one', 'root'],
    ]);
  });

  it('filters by action category, returning only that category', async () => {
    const logins = await list('action=Login');
    expect(logins.length).toBeGreaterThan(1);
    expect(new Set(logins.map((e) => e.action))).toEqual(new Set(['Login']));
    expect(logins.every((e) => e.resource_type === 'User' && e.user_name === 'root')).toBe(true);
    expect((await list('action=Create')).map((e) => e.event)).toEqual(['storage.create']);
  });

  it('filters by precise event and by documented level', async () => {
    expect((await list('event=storage.update')).map((e) => e.resource_name)).toEqual(['disk-renamed']);
    const warnings = await list('level=Warning');
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((e) => e.level === 'Warning' && e.outcome === 'failure')).toBe(true);
  });

  it('refuses values outside the documented sets, naming the field', async () => {
    for (const [query, field] of [
      ['action=backup.finish', 'action'],
      ['level=warn', 'level'],
      ['resource_type=storage', 'resource_type'],
    ]) {
      const response = await http().get(`/api/v1/activity-logs?${query}`).set(bearer(root.access_token));
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
  });
});

// Issue 13: the console's activity filters: who (user_id), when (from/to) and a search over the
// resource's name, the event and the username.
describe('activity log filters by user, time and search', () => {
  let app: SignedInApp;
  let operator: Session;
  const list = async (query: string) =>
    (await app.http().get(`/api/v1/activity-logs?limit=100&${query}`).set(bearer(app.root.access_token)).expect(200))
      .body.items as (Entry & { user_id: string | null; created_at: string })[];

  beforeAll(async () => {
    app = await startSignedIn();
    operator = await app.member('opal', 'admin');
    await app
      .http()
      .post('/api/v1/storage')
      .set(bearer(app.root.access_token))
      .send({ name: 'Archive-Disk', provider: 'local' })
      .expect(201);
    await app
      .http()
      .post('/api/v1/storage')
      .set(bearer(operator.access_token))
      .send({ name: 'scratch', provider: 'local' })
      .expect(201);
  });
  afterAll(() => app.api.close());

  it('narrows to one user', async () => {
    const byOpal = await list(`user_id=${operator.user.id}`);
    expect(byOpal.length).toBeGreaterThan(0);
    expect(new Set(byOpal.map((e) => e.user_name))).toEqual(new Set(['opal']));
    expect(byOpal.map((e) => e.resource_name)).toContain('scratch');
    expect((await list(`user_id=${operator.user.id}&resource_type=Storage`)).map((e) => e.resource_name)).toEqual([
      'scratch',
    ]);
    expect(await list('user_id=00000000-0000-4000-8000-000000000000')).toEqual([]);
  });

  it('narrows to a time range on created_at, both ends included', async () => {
    const all = await list('resource_type=Storage');
    const [newest] = all;
    expect((await list(`resource_type=Storage&from=${newest.created_at}`)).map((e) => e.id)).toEqual([newest.id]);
    expect((await list(`resource_type=Storage&to=${all[1].created_at}`)).map((e) => e.id)).toEqual(
      all.slice(1).map((e) => e.id),
    );
    expect(await list('from=2999-01-01T00:00:00Z')).toEqual([]);
    expect(await list('to=2000-01-01')).toEqual([]);
  });

  it('searches the resource name, the event and the username, ignoring case', async () => {
    expect((await list('search=archive-DISK')).map((e) => e.resource_name)).toEqual(['Archive-Disk']);
    const creates = await list('search=STORAGE.CREATE');
    expect(creates.map((e) => e.resource_name).sort()).toEqual(['Archive-Disk', 'scratch']);
    const opal = await list('search=OPA');
    expect(opal.length).toBeGreaterThan(0);
    expect(opal.every((e) => e.user_name === 'opal' || /opa/i.test(`${e.resource_name} ${e.event}`))).toBe(true);
    expect((await list('search=opa&resource_type=Storage')).map((e) => e.resource_name)).toEqual(['scratch']);
    expect(await list('search=no-such-thing-anywhere')).toEqual([]);
  });

  it('refuses a bad user, date or search, naming the field', async () => {
    for (const [query, field] of [
      ['user_id=opal', 'user_id'],
      ['from=last-week', 'from'],
      ['to=2025-13-01T00:00:00Z', 'to'],
      [`search=${'y'.repeat(101)}`, 'search'],
    ]) {
      const response = await app.http().get(`/api/v1/activity-logs?${query}`).set(bearer(app.root.access_token));
      expect([query, response.status]).toEqual([query, 400]);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
  });
});
