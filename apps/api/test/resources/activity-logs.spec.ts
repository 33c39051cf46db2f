import request from 'supertest';
import type { TestApp } from '../helpers/app';
import { bearer, type Session } from '../helpers/auth';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

type Entry = {
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
