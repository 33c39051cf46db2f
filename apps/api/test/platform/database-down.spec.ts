import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app';
import { bearer, signIn, type Session } from '../helpers/auth';
import { uniqueWebhook } from '../helpers/discord';

// The service's own database stops under a running API: every route says 503 SERVICE_UNAVAILABLE
// in plain words (not 500), and nothing in any answer tells where the database is or what the
// driver said.
describe('the service database stopped', () => {
  const rootHook = uniqueWebhook();
  let pg: RunningPostgres;
  let api: TestApp;
  let root: Session;
  let internals: string[];

  beforeAll(async () => {
    pg = await startPostgres({ major: 17 });
    api = await startTestApp({
      databaseUrl: await pg.createDatabase(),
      env: { SYSTEM_USERNAME: 'root', SYSTEM_DISCORD_WEBHOOK_URL: rootHook.url },
    });
    root = await signIn(api, 'root', rootHook.path);
    // Up: a normal answer.
    await request(api.app.getHttpServer()).get('/api/v1/databases').set(bearer(root.access_token)).expect(200);
    internals = [
      pg.host,
      String(pg.port),
      pg.user,
      'prisma',
      "can't reach",
      'econnrefused',
      'terminating',
      'invocation',
    ];
    await pg.stop();
  }, 60_000);
  afterAll(() => api?.close());

  const expectNoInternals = (text: string) => {
    for (const internal of internals)
      expect([internal, text.toLowerCase().includes(internal.toLowerCase())]).toEqual([internal, false]);
  };

  it('a normal route answers 503 SERVICE_UNAVAILABLE with a plain message, twice in a row', async () => {
    // The first request meets the pool's connections the server closed; the next one, a refused connect.
    for (let i = 0; i < 2; i++) {
      const response = await request(api.app.getHttpServer()).get('/api/v1/databases').set(bearer(root.access_token));
      expect(response.status).toBe(503);
      expect(response.body).toEqual({
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: 'The service is temporarily unavailable: its database cannot be reached. Try again shortly.',
        errors: [],
      });
      expect(response.headers['retry-after']).toBe('5');
      expectNoInternals(response.text);
    }
  });

  it('so does a public route that reads the database', async () => {
    const response = await request(api.app.getHttpServer())
      .post('/api/v1/auth/verify')
      .send({ username: 'root', otp: '123456' });
    expect(response.status).toBe(503);
    expect(response.body.code).toBe('SERVICE_UNAVAILABLE');
    expectNoInternals(response.text);
  });

  it('GET /api/v1/health: 503 degraded, saying what is wrong but not where', async () => {
    const response = await request(api.app.getHttpServer()).get('/api/v1/health');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      status: 'degraded',
      database: { status: 'down', error: 'The database cannot be reached' },
    });
    expectNoInternals(response.text);
  });

  it('GET /health: 503 unhealthy, in its two fields', async () => {
    const response = await request(api.app.getHttpServer()).get('/health');
    expect(response.status).toBe(503);
    expect(Object.keys(response.body).sort()).toEqual(['status', 'timestamp']);
    expect(response.body.status).toBe('unhealthy');
    expectNoInternals(response.text);
  });
});
