import { configureClient, getHealth } from '@dumpstation/api-client';
import { startTestApp, type TestApp } from '../helpers/app';
import { signInCodeDelivery } from '../../src/modules/health/health.service';

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

// The sign-in page tells a development install without Discord where its codes are: the API log.
describe('GET /api/v1/health: where sign-in codes go without Discord', () => {
  const deliveryOf = async (env: Record<string, string | undefined>) => {
    const api = await startTestApp({ env });
    try {
      const response = await fetch(`${api.baseUrl}/api/v1/health`);
      const body = (await response.json()) as Record<string, unknown>;
      return {
        has: Object.prototype.hasOwnProperty.call(body, 'sign_in_code_delivery'),
        value: body.sign_in_code_delivery,
      };
    } finally {
      await api.close();
    }
  };
  const WEBHOOK = 'https://discord.com/api/webhooks/123456789012345678/health-token';

  it("says 'log' in development with no Discord configured", async () => {
    expect(await deliveryOf({ NODE_ENV: 'development' })).toEqual({ has: true, value: 'log' });
  });

  it('says nothing once any Discord delivery is configured', async () => {
    for (const env of [
      { DISCORD_DEFAULT_WEBHOOK_URL: WEBHOOK },
      { SYSTEM_DISCORD_WEBHOOK_URL: WEBHOOK },
      { DISCORD_BOT_TOKEN: 'bot-token-0123456789' },
    ]) {
      expect([env, await deliveryOf({ NODE_ENV: 'development', ...env })]).toEqual([
        env,
        { has: false, value: undefined },
      ]);
    }
  });

  it('never says it in production', async () => {
    // Production boots only with Discord configured …
    expect(await deliveryOf({ NODE_ENV: 'production', DISCORD_DEFAULT_WEBHOOK_URL: WEBHOOK })).toEqual({
      has: false,
      value: undefined,
    });
    // … and even a configuration that slipped past that check (no Discord at all) says nothing.
    expect(signInCodeDelivery({ isProduction: true, hasSystemDiscord: false })).toBeUndefined();
    expect(signInCodeDelivery({ isProduction: true, hasSystemDiscord: true })).toBeUndefined();
    expect(signInCodeDelivery({ isProduction: false, hasSystemDiscord: false })).toBe('log');
  });
});
