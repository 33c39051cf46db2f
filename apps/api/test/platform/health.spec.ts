import { configureClient, getHealth } from '@dumpstation/api-client';
import { startTestApp, type TestApp } from '../helpers/app';

// Through the generated client, so a drift between the API and packages/api-client fails here.
describe('GET /api/v1/health', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it('reports the database up, without credentials', async () => {
    configureClient({ baseUrl: api.baseUrl });
    const { data, response } = await getHealth();
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ status: 'ok', version: api.config.version, database: { status: 'up' } });
    expect(data!.database.latency_ms).toBeGreaterThanOrEqual(0);
    expect(data!.database.error).toBeUndefined();
  });

  it('answers GET /health at the root, outside /api, in the documented shape', async () => {
    const before = Date.now();
    const response = await fetch(`${api.baseUrl}/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; timestamp: string };
    expect(Object.keys(body).sort()).toEqual(['status', 'timestamp']);
    expect(body.status).toBe('healthy');
    expect(body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(Date.parse(body.timestamp)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(body.timestamp)).toBeLessThanOrEqual(Date.now() + 1000);
    // Only there: the prefix and the version stay where they were for everything else.
    for (const path of ['/api/health', '/v1/health', '/health/extra']) {
      expect([path, (await fetch(`${api.baseUrl}${path}`)).status]).toEqual([path, 404]);
    }
  });
});

describe('GET /api/v1/health with the database unreachable', () => {
  let api: TestApp;
  beforeAll(async () => {
    // Port 1 on loopback refuses connections: the database is "down" from the start.
    api = await startTestApp({ databaseUrl: 'postgresql://nobody:x@127.0.0.1:1/none', migrate: false });
  });
  afterAll(() => api.close());

  it('answers 503 degraded and says why', async () => {
    configureClient({ baseUrl: api.baseUrl });
    const { data, error, response } = await getHealth();
    expect(response.status).toBe(503);
    const body = (data ?? error) as { status: string; database: { status: string; error?: string } };
    expect(body.status).toBe('degraded');
    expect(body.database.status).toBe('down');
    expect(body.database.error).toBeTruthy();
  });

  it('answers GET /health with 503 unhealthy', async () => {
    const response = await fetch(`${api.baseUrl}/health`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; timestamp: string };
    expect(body.status).toBe('unhealthy');
    expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false);
  });
});
