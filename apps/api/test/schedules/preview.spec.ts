import { bearer } from '../helpers/auth';
import { createBucket, s3Settings } from '../helpers/s3';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

// The console's schedule editor asks this endpoint; databases answer the same two fields.
describe('schedule preview and the schedule fields of a database', () => {
  let app: SignedInApp;
  const auth = () => bearer(app.root.access_token);

  beforeAll(async () => {
    app = await startSignedIn({ APP_ROLE: 'api' });
  });
  afterAll(() => app.api.close());

  it('a valid schedule and zone: its description and the next 5 runs with the zone offset', async () => {
    const { body } = await app
      .http()
      .get('/api/v1/schedules/preview')
      .query({ schedule: '0 3 * * 1', timezone: 'Europe/Paris' })
      .set(auth())
      .expect(200);
    expect(body.schedule_description).toBe('At 03:00, only on Monday');
    expect(body.next_runs).toHaveLength(5);
    for (const run of body.next_runs) expect(run).toMatch(ISO_WITH_OFFSET);
    const instants = body.next_runs.map((run: string) => new Date(run).getTime());
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    expect(new Date(instants[1]).getTime() - instants[0]).toBeGreaterThanOrEqual(6.9 * 86_400_000);
    // Without a zone: UTC.
    const utc = await app
      .http()
      .get('/api/v1/schedules/preview')
      .query({ schedule: '0 3 * * *' })
      .set(auth())
      .expect(200);
    expect(utc.body.next_runs[0]).toMatch(/T03:00:00\+00:00$/);
  });

  it('an invalid schedule or zone: 400 naming the field', async () => {
    const bad = async (query: Record<string, string>) =>
      (await app.http().get('/api/v1/schedules/preview').query(query).set(auth()).expect(400)).body;
    const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((d) => d.field);
    expect(fieldsOf(await bad({ schedule: 'every day', timezone: 'UTC' }))).toEqual(['schedule']);
    expect(fieldsOf(await bad({ schedule: '0 0 30 2 *' }))).toEqual(['schedule']);
    expect(fieldsOf(await bad({ schedule: '0 3 * * *', timezone: 'Mars/Olympus' }))).toEqual(['timezone']);
    expect(fieldsOf(await bad({ timezone: 'UTC' }))).toEqual(['schedule']);
  });

  it('needs a signed-in caller', async () => {
    await app.http().get('/api/v1/schedules/preview').query({ schedule: '0 3 * * *' }).expect(401);
  });

  it('GET /databases/{id} and the list carry schedule_description and next_runs (none without a schedule)', async () => {
    const storage = await app
      .http()
      .post('/api/v1/storage')
      .set(auth())
      .send({ name: 'store', ...s3Settings(await createBucket('preview')) })
      .expect(201);
    const created = await app
      .http()
      .post('/api/v1/databases')
      .set(auth())
      .send({
        name: 'scheduled',
        host: '127.0.0.1',
        dbname: 'app',
        user: 'app',
        storage_id: storage.body.id,
        schedule: '30 2 * * *',
        timezone: 'America/New_York',
      })
      .expect(201);
    expect(created.body.schedule_description).toBe('At 02:30');
    expect(created.body.next_runs).toHaveLength(5);
    expect(created.body.next_runs[0]).toMatch(/T0[23]:30:00-0[45]:00$/);
    const { body } = await app.http().get(`/api/v1/databases/${created.body.id}`).set(auth()).expect(200);
    expect(body).toMatchObject({ schedule_description: 'At 02:30', enabled: true });
    const list = await app.http().get('/api/v1/databases').set(auth()).expect(200);
    expect(list.body.items[0].next_runs).toEqual(body.next_runs);
    const cleared = await app
      .http()
      .patch(`/api/v1/databases/${created.body.id}`)
      .set(auth())
      .send({ schedule: null })
      .expect(200);
    expect(cleared.body).toMatchObject({ schedule: null, schedule_description: null, next_runs: [] });
  });
});
