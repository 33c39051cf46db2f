import request from 'supertest';
import { Client } from 'pg';
import { startTestApp, testConfig, type TestApp } from '../helpers/app';
import { waitForCode, deliveredCodes, uniqueWebhook } from '../helpers/discord';
import { ConfigValidationError } from '../../src/config/app-config';

// The test client connects from 127.0.0.1. X-Forwarded-For must count only when that peer is
// one of TRUSTED_PROXIES (the console); otherwise a client picks its own address.

async function start(env: Record<string, string>): Promise<{ api: TestApp; hook: { url: string; path: string } }> {
  const hook = uniqueWebhook();
  const api = await startTestApp({ env: { SYSTEM_USERNAME: 'root', SYSTEM_DISCORD_WEBHOOK_URL: hook.url, ...env } });
  return { api, hook };
}

async function loginStatuses(api: TestApp, forwardedFor: string[]): Promise<number[]> {
  const statuses: number[] = [];
  for (const address of forwardedFor) {
    const response = await request(api.app.getHttpServer())
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', address)
      .send({ username: 'someone' });
    statuses.push(response.status);
  }
  return statuses;
}

/** Signs root in with `forwardedFor` on both requests; returns the ip the activity log recorded. */
async function signInAndReadLoggedIp(
  api: TestApp,
  hookPath: string,
  headers: Record<string, string>,
): Promise<string | null> {
  const known = await deliveredCodes(hookPath, 'root');
  await request(api.app.getHttpServer()).post('/api/v1/auth/login').set(headers).send({ username: 'root' }).expect(202);
  const otp = await waitForCode(hookPath, 'root', known);
  await request(api.app.getHttpServer())
    .post('/api/v1/auth/verify')
    .set(headers)
    .send({ username: 'root', otp })
    .expect(200);
  const client = new Client({ connectionString: api.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ ip: string | null }>(
      `SELECT ip FROM activity_logs WHERE event = 'auth.login' AND outcome = 'success' ORDER BY created_at DESC LIMIT 1`,
    );
    return rows[0]?.ip ?? null;
  } finally {
    await client.end();
  }
}

const rotating = (count: number) => Array.from({ length: count }, (_, i) => `203.0.113.${i + 1}`);

describe('X-Forwarded-For from a peer that is not a trusted proxy', () => {
  let limited: TestApp;
  let open: { api: TestApp; hook: { url: string; path: string } };
  beforeAll(async () => {
    // Loopback (where the test client is) is not among the trusted proxies here.
    ({ api: limited } = await start({ TRUSTED_PROXIES: '10.0.0.0/8', AUTH_RATE_LIMIT_PER_MINUTE: '3' }));
    open = await start({ TRUSTED_PROXIES: '10.0.0.0/8' });
  });
  afterAll(async () => {
    await limited?.close();
    await open?.api.close();
  });

  it('does not escape the auth rate limit by rotating the header', async () => {
    expect(await loginStatuses(limited, rotating(5))).toEqual([202, 202, 202, 429, 429]);
  });

  it('records the connecting address in the activity log, not the claimed one', async () => {
    const ip = await signInAndReadLoggedIp(open.api, open.hook.path, {
      'X-Forwarded-For': '203.0.113.66',
      'X-Real-IP': '203.0.113.67',
      Forwarded: 'for=203.0.113.68',
    });
    expect(ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });
});

describe('X-Forwarded-For from a trusted proxy (the console on loopback, the default)', () => {
  let limited: TestApp;
  let open: { api: TestApp; hook: { url: string; path: string } };
  beforeAll(async () => {
    ({ api: limited } = await start({ AUTH_RATE_LIMIT_PER_MINUTE: '3' }));
    open = await start({});
  });
  afterAll(async () => {
    await limited?.close();
    await open?.api.close();
  });

  it('counts the rate limit per forwarded client', async () => {
    const a = '198.51.100.10';
    const b = '198.51.100.11';
    expect(await loginStatuses(limited, [a, a, a, a, b])).toEqual([202, 202, 202, 429, 202]);
  });

  it('logs the forwarded address; of a chain, the last hop the trusted proxy saw', async () => {
    expect(await signInAndReadLoggedIp(open.api, open.hook.path, { 'X-Forwarded-For': '198.51.100.20' })).toBe(
      '198.51.100.20',
    );
    // What a client wrote before the proxy's entry is not believed.
    expect(
      await signInAndReadLoggedIp(open.api, open.hook.path, { 'X-Forwarded-For': '192.0.2.1, 198.51.100.21' }),
    ).toBe('198.51.100.21');
  });
});

describe('TRUSTED_PROXIES', () => {
  it('accepts addresses, ranges and keywords, and names the variable when one is not', () => {
    expect(
      testConfig({ DATABASE_URL: 'postgresql://x@h/d', TRUSTED_PROXIES: 'loopback, 10.0.0.0/8,::1' }).trustedProxies,
    ).toEqual(['loopback', '10.0.0.0/8', '::1']);
    expect(testConfig({ DATABASE_URL: 'postgresql://x@h/d' }).trustedProxies).toEqual(['loopback']);
    for (const bad of ['proxy.example.com', '10.0.0.0/99', ' , ']) {
      expect(() => testConfig({ DATABASE_URL: 'postgresql://x@h/d', TRUSTED_PROXIES: bad })).toThrow(
        ConfigValidationError,
      );
      expect(() => testConfig({ DATABASE_URL: 'postgresql://x@h/d', TRUSTED_PROXIES: bad })).toThrow(/TRUSTED_PROXIES/);
    }
  });
});
