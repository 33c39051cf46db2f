import request from 'supertest';
import { Client } from 'pg';
import { startTestApp, type TestApp } from '../helpers/app';
import { bearer, requestCode, signIn, type Session } from '../helpers/auth';
import { deliveredCodes, discordCalls, uniqueWebhook } from '../helpers/discord';

// Sign-in by one-time code, end to end through HTTP, with codes read from the Discord stand-in.
describe('sign-in with a one-time code', () => {
  const adminHook = uniqueWebhook();
  const defaultHook = uniqueWebhook();
  let api: TestApp;
  let admin: Session;
  const http = () => request(api.app.getHttpServer());

  async function invite(username: string, extra: Record<string, string> = {}) {
    const response = await http()
      .post('/api/v1/members')
      .set(bearer(admin.access_token))
      .send({ username, email: `${username}@example.com`, role: 'operator', ...extra });
    expect(response.status).toBe(202);
    return response.body as { id: string };
  }

  beforeAll(async () => {
    api = await startTestApp({
      env: {
        SYSTEM_USERNAME: 'root',
        SYSTEM_EMAIL: 'root@example.com',
        SYSTEM_DISCORD_WEBHOOK_URL: adminHook.url,
        DISCORD_DEFAULT_WEBHOOK_URL: defaultHook.url,
        DISCORD_BOT_TOKEN: 'test-bot-token-0123456789',
        LOGIN_ACCOUNT_MAX_ATTEMPTS: '12',
      },
    });
    admin = await signIn(api, 'root', adminHook.path);
  });
  afterAll(() => api.close());

  it('signs the instance admin in with the code sent to their webhook, and never returns the webhook URL', async () => {
    expect(admin.tenant.role).toBe('owner');
    const me = await http().get('/api/v1/users/me').set(bearer(admin.access_token));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      username: 'root',
      is_instance_admin: true,
      discord_delivery: 'webhook',
      discord_webhook_url_set: true,
    });
    expect(JSON.stringify(me.body)).not.toContain(adminHook.url.split('/').pop());
  });

  it('accepts the email address in place of the username', async () => {
    const otp = await requestCode(api, 'root', adminHook.path);
    const response = await http().post('/api/v1/auth/verify').send({ username: 'ROOT@example.com', otp });
    expect(response.status).toBe(200);
  });

  it('delivers the code as a bot DM to a user who has a Discord id', async () => {
    await invite('dana', { discord_user_id: '712345678901234567' });
    const session = await signIn(api, 'dana', '/channels/dm-712345678901234567');
    expect(session.user.username).toBe('dana');
    const calls = await discordCalls();
    const channel = calls.find(
      (c) =>
        c.path === '/users/@me/channels' && (c.body as { recipient_id?: string }).recipient_id === '712345678901234567',
    );
    expect(channel?.headers.authorization).toBe('Bot test-bot-token-0123456789');
  });

  it('falls back to the system default webhook for a user without Discord settings', async () => {
    await invite('erin');
    const session = await signIn(api, 'erin', defaultHook.path);
    expect(session.tenant.role).toBe('operator');
  });

  it('answers known and unknown users identically: status, body and timing class', async () => {
    const timed = async (username: string) => {
      const started = performance.now();
      const response = await http().post('/api/v1/auth/login').send({ username });
      return { status: response.status, body: response.body as unknown, ms: performance.now() - started };
    };
    const known = [];
    const unknown = [];
    for (let i = 0; i < 3; i += 1) {
      known.push(await timed('erin'));
      unknown.push(await timed(`nobody-${i}`));
    }
    for (const answer of [...known, ...unknown]) {
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual(known[0].body);
    }
    const mean = (xs: { ms: number }[]) => xs.reduce((sum, x) => sum + x.ms, 0) / xs.length;
    expect(Math.abs(mean(known) - mean(unknown))).toBeLessThan(100);
    expect(Math.min(...unknown.map((x) => x.ms))).toBeGreaterThanOrEqual(240);
  });

  it('refuses a used code', async () => {
    await invite('hank');
    const otp = await requestCode(api, 'hank', defaultHook.path);
    expect((await http().post('/api/v1/auth/verify').send({ username: 'hank', otp })).status).toBe(200);
    const again = await http().post('/api/v1/auth/verify').send({ username: 'hank', otp });
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('INVALID_CODE');
  });

  it('refuses an expired code', async () => {
    await invite('gina');
    const otp = await requestCode(api, 'gina', defaultHook.path);
    // Let the code's five minutes pass.
    const client = new Client({ connectionString: api.databaseUrl });
    await client.connect();
    await client.query(
      "UPDATE login_challenges SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE username = 'gina')",
    );
    await client.end();
    const response = await http().post('/api/v1/auth/verify').send({ username: 'gina', otp });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('INVALID_CODE');
  });

  it('voids a code after 5 wrong attempts: even the right code is refused, and only a new code works', async () => {
    await invite('frank');
    const otp = await requestCode(api, 'frank', defaultHook.path);
    const wrong = otp === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const response = await http().post('/api/v1/auth/verify').send({ username: 'frank', otp: wrong });
      expect(response.status).toBe(401);
    }
    const voided = await http().post('/api/v1/auth/verify').send({ username: 'frank', otp });
    expect(voided.status).toBe(401);
    // The same answer as any wrong code: nothing tells an outsider the code (or account) exists.
    expect(voided.body.code).toBe('INVALID_CODE');

    const fresh = await requestCode(api, 'frank', defaultHook.path);
    expect((await http().post('/api/v1/auth/verify').send({ username: 'frank', otp: fresh })).status).toBe(200);
  });

  it('locks the account after LOGIN_ACCOUNT_MAX_ATTEMPTS attempts: no new code is sent', async () => {
    await invite('fred');
    // 3 codes × 5 wrong attempts: the 12th attempt in a row without success locks.
    for (let code = 0; code < 3; code += 1) {
      const otp = await requestCode(api, 'fred', defaultHook.path);
      const wrong = otp === '000000' ? '111111' : '000000';
      for (let attempt = 1; attempt <= 5; attempt += 1) {
        await http().post('/api/v1/auth/verify').send({ username: 'fred', otp: wrong });
      }
    }
    const before = (await deliveredCodes(defaultHook.path, 'fred')).length;
    expect((await http().post('/api/v1/auth/login').send({ username: 'fred' })).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await deliveredCodes(defaultHook.path, 'fred')).length).toBe(before);
  });

  it('names the bad field on malformed input', async () => {
    const response = await http().post('/api/v1/auth/verify').send({ username: 'root', otp: '12ab' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'otp', message: 'otp must be 6 digits' }]);
  });

  it('rotates the refresh token, and logout ends the session', async () => {
    // A session of its own: logging out ends every token of it, access tokens included.
    const session = await signIn(api, 'root', adminHook.path);
    const refreshed = await http().post('/api/v1/auth/refresh').send({ refresh_token: session.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(session.refresh_token);
    expect((await http().get('/api/v1/users/me').set(bearer(refreshed.body.access_token))).status).toBe(200);

    expect(
      (await http().post('/api/v1/auth/logout').send({ refresh_token: refreshed.body.refresh_token })).status,
    ).toBe(204);
    expect(
      (await http().post('/api/v1/auth/refresh').send({ refresh_token: refreshed.body.refresh_token })).status,
    ).toBe(401);
  });

  it('a sign-out racing a reuse of the same refresh token ends the session without a 500', async () => {
    for (let round = 0; round < 3; round++) {
      const session = await signIn(api, 'root', adminHook.path);
      const token = { refresh_token: session.refresh_token };
      // The console signs the replaced session out while a stolen copy is presented: both end the session.
      const answers = await Promise.all([
        http().post('/api/v1/auth/logout').send(token),
        http().post('/api/v1/auth/refresh').send(token),
        http().post('/api/v1/auth/logout').send(token),
        http().post('/api/v1/auth/refresh').send(token),
      ]);
      for (const answer of answers) expect([200, 204, 401]).toContain(answer.status);
      expect((await http().post('/api/v1/auth/refresh').send(token)).status).toBe(401);
      expect((await http().get('/api/v1/users/me').set(bearer(session.access_token))).status).toBe(401);
    }
  });

  it('records sign-in successes and failures in the activity log', async () => {
    await invite('ivan');
    // The first sign-in accepts ivan's invitation: a member's sign-in attempts are the tenant's to see.
    await signIn(api, 'ivan', defaultHook.path);
    const otp = await requestCode(api, 'ivan', defaultHook.path);
    const wrong = otp === '000000' ? '111111' : '000000';
    expect((await http().post('/api/v1/auth/verify').send({ username: 'ivan', otp: wrong })).status).toBe(401);
    const fresh = await signIn(api, 'root', adminHook.path);
    const response = await http()
      .get('/api/v1/activity-logs?event=auth.login&limit=100')
      .set(bearer(fresh.access_token));
    expect(response.status).toBe(200);
    const outcomes = new Set((response.body.items as { outcome: string }[]).map((e) => e.outcome));
    expect(outcomes).toEqual(new Set(['success', 'failure']));
    expect(response.body).toMatchObject({ page: 1, limit: 100 });
    expect(response.body.total).toBeGreaterThan(1);
  });
});

describe('rate limits on auth routes', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => api.close());

  it('answers 429 with Retry-After once the limit is reached', async () => {
    const statuses = [];
    let last: request.Response | undefined;
    for (let i = 0; i < 4; i += 1) {
      last = await request(api.app.getHttpServer()).post('/api/v1/auth/login').send({ username: 'someone' });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.body).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
  });
});
