import { request as httpRequest } from 'node:http';
import { ADMIN, startConsoleStack, waitForCode, deliveredCodes, type ConsoleStack } from './support';

const LIMIT = 5;

interface Answer {
  status: number;
  body: unknown;
}

/**
 * A request to the console from the loopback address `from` (the console listens on 127.0.0.1,
 * so a client on 127.0.0.2 is told apart from the console's own address).
 */
function call(
  stack: ConsoleStack,
  from: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${stack.webUrl}${path}`,
      {
        method,
        localAddress: from,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** What a client claims about its address, different on every request. */
let forged = 0;
function forgedHeaders(): Record<string, string> {
  forged += 1;
  return {
    'X-Forwarded-For': `203.0.113.${forged}`,
    'X-Real-IP': `198.51.100.${forged}`,
    Forwarded: `for=192.0.2.${forged}`,
  };
}

// Finding 6 of issue 9: a client-chosen X-Forwarded-For was passed through the console's /api
// proxy, so rotating it escaped the auth rate limit and forged the logged address.
describe('the console proxy states the client address itself', () => {
  let stack: ConsoleStack;

  beforeAll(async () => {
    stack = await startConsoleStack({ apiEnv: { AUTH_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('logs the address the console saw, not the one the client claimed', async () => {
    const known = deliveredCodes(stack.discord).length;
    const login = await call(stack, '127.0.0.2', 'POST', '/api/v1/auth/login', forgedHeaders(), { username: ADMIN });
    expect(login.status).toBe(202);
    const otp = await waitForCode(stack.discord, known);
    const verify = await call(stack, '127.0.0.2', 'POST', '/api/v1/auth/verify', forgedHeaders(), {
      username: ADMIN,
      otp,
    });
    expect(verify.status).toBe(200);
    const token = (verify.body as { access_token: string }).access_token;

    const logs = await call(stack, '127.0.0.2', 'GET', '/api/v1/activity-logs?event=auth.login', {
      Authorization: `Bearer ${token}`,
    });
    expect(logs.status).toBe(200);
    const entries = (logs.body as { items: { ip: string | null; outcome: string }[] }).items;
    const success = entries.find((entry) => entry.outcome === 'success');
    expect(success?.ip).toBe('127.0.0.2');
  });

  it('rate-limits a client that rotates X-Forwarded-For, and only that client', async () => {
    // The limit counts per route and client: one of this client's logins went to signing in above.
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i += 1) {
      statuses.push(
        (await call(stack, '127.0.0.2', 'POST', '/api/v1/auth/login', forgedHeaders(), { username: 'nobody' })).status,
      );
    }
    expect(statuses).toEqual([202, 202, 202, 202, 429]);
    // Another client is counted on its own: the console does not lump everyone together.
    const other = await call(stack, '127.0.0.3', 'POST', '/api/v1/auth/login', forgedHeaders(), { username: 'nobody' });
    expect(other.status).toBe(202);
  });
});
