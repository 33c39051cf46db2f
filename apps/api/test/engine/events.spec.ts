import { startApiProcess, startPostgres, type ApiProcess, type RunningPostgres } from '@dumpstation/testing';
import { JwtService } from '@nestjs/jwt';
import { randomBytes } from 'node:crypto';
import { createTestDatabase } from '../helpers/database';
import { processCaller } from '../helpers/auth';
import { deliveredCodes, uniqueWebhook, waitForCode } from '../helpers/discord';
import { databaseFields, seededDatabase, sql } from '../helpers/engine';
import { createBucket, s3Settings } from '../helpers/s3';

/** A few MB: the dump takes long enough to report progress. */
const SEED = `
  CREATE TABLE blobs (id int PRIMARY KEY, body text NOT NULL);
  INSERT INTO blobs SELECT g, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text) FROM generate_series(1, 60000) g;
`;

interface ReceivedEvent {
  id: string | undefined;
  event: string;
  data: Record<string, unknown>;
}

/** A client of GET /api/v1/events over fetch: every event it received, parsed. */
interface EventClient {
  status: number;
  contentType: string | null;
  headers: Headers;
  events: ReceivedEvent[];
  /** Resolves with the first received event (from `from` on) that `match` accepts. */
  next(match: (event: ReceivedEvent) => boolean, what: string, timeoutMs?: number): Promise<ReceivedEvent>;
  close(): void;
}

async function connect(url: string, token: string, lastEventId?: string): Promise<EventClient> {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/v1/events`, {
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'text/event-stream',
      ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
    },
    signal: controller.signal,
  });
  const events: ReceivedEvent[] = [];
  const waiters = new Set<() => void>();
  const client: EventClient = {
    status: response.status,
    contentType: response.headers.get('content-type'),
    headers: response.headers,
    events,
    next: (match, what, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}; received ${JSON.stringify(events.map((e) => e.event))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => controller.abort(),
  };
  if (response.status !== 200 || !response.body) return client;
  void (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffered += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          let id: string | undefined;
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') id = value;
            else if (field === 'event') event = value;
            else if (field === 'data') data.push(value);
          }
          if (!data.length) continue;
          events.push({ id, event, data: JSON.parse(data.join('\n')) as Record<string, unknown> });
          for (const waiter of [...waiters]) waiter();
        }
      }
    } catch {
      // closed
    }
  })();
  return client;
}

// Issue 13: GET /api/v1/events. A backup started through an `api` process runs on a `worker`
// process; the client connected to the api process hears it through LISTEN/NOTIFY, and only
// its own tenant's events.
describe('live events', () => {
  const rootHook = uniqueWebhook();
  const encryptionKey = randomBytes(32).toString('base64');
  const jwtSecret = randomBytes(32).toString('hex');
  let source: RunningPostgres;
  let databaseUrl: string;
  let api: ApiProcess | undefined;
  let worker: ApiProcess | undefined;
  let tokenA = '';
  let tokenB = '';
  const clients: EventClient[] = [];
  const open = async (token: string, lastEventId?: string) => {
    const client = await connect(api!.url, token, lastEventId);
    clients.push(client);
    return client;
  };

  const boot = (role: string) =>
    startApiProcess({
      databaseUrl,
      env: {
        APP_ROLE: role,
        APP_ENCRYPTION_KEY: encryptionKey,
        JWT_SECRET: jwtSecret,
        DISCORD_API_URL: process.env.TEST_DISCORD_API,
        SYSTEM_USERNAME: 'root',
        SYSTEM_DISCORD_WEBHOOK_URL: rootHook.url,
        LOG_LEVEL: 'warn',
      },
    });

  let token = '';
  const call = processCaller(
    () => api!,
    () => token,
  );

  beforeAll(async () => {
    [source, databaseUrl] = await Promise.all([startPostgres({ major: 15 }), createTestDatabase()]);
    api = await boot('api');
    [worker] = await Promise.all([
      boot('worker'),
      (async () => {
        const known = await deliveredCodes(rootHook.path, 'root');
        await call('POST', '/auth/login', { username: 'root' });
        const otp = await waitForCode(rootHook.path, 'root', known);
        tokenA = token = (await call('POST', '/auth/verify', { username: 'root', otp })).access_token as string;
        const tenantB = await call('POST', '/tenants', { name: 'Beta', slug: 'beta' });
        tokenB = (await call('POST', '/auth/switch-tenant', { tenant_id: tenantB.id })).access_token as string;
      })(),
    ]);
  }, 60_000);
  afterAll(async () => {
    for (const client of clients) client.close();
    await worker?.stop();
    await api?.stop();
    await source?.stop();
  });

  it('refuses a missing, invalid or expired token with 401 before any stream opens', async () => {
    const missing = await fetch(`${api!.url}/api/v1/events`);
    expect(missing.status).toBe(401);
    const invalid = await open('not-a-token');
    expect(invalid.status).toBe(401);
    expect(invalid.contentType).toMatch(/application\/json/);
    const claims = JSON.parse(Buffer.from(tokenA.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    const past = Math.floor(Date.now() / 1000) - 60;
    const expired = new JwtService({ secret: jwtSecret }).sign({ ...claims, iat: past - 600, exp: past });
    expect((await open(expired)).status).toBe(401);
  });

  it("streams a backup run by the worker to its tenant's clients on the api process, and to no other tenant", async () => {
    const a = await open(tokenA);
    const b = await open(tokenB);
    expect(a.status).toBe(200);
    expect(a.contentType).toMatch(/^text\/event-stream/);
    expect(a.headers.get('cache-control')).toMatch(/no-cache/);
    expect(a.headers.get('x-accel-buffering')).toBe('no');
    await a.next((e) => e.event === 'ready', 'ready');
    await b.next((e) => e.event === 'ready', 'ready (tenant B)');

    token = tokenA;
    const storage = await call('POST', '/storage', { name: 'events', ...s3Settings(await createBucket('events')) });
    const seeded = await seededDatabase(source, SEED);
    const database = await call('POST', '/databases', {
      name: 'events',
      ...databaseFields(source, seeded.dbname),
      storage_id: storage.id,
    });
    const backup = await call('POST', `/databases/${database.id}/backup`);
    const ofBackup = (name: string) => (e: ReceivedEvent) => e.event === name && e.data.backup_id === backup.id;

    const finished = await a.next(ofBackup('backup.finished'), 'backup.finished', 40_000);
    expect(finished.data).toMatchObject({
      backup_id: backup.id,
      database_id: database.id,
      status: 'success',
      error_message: null,
      size_bytes: expect.any(Number),
    });
    const own = a.events.filter((e) => e.data.backup_id === backup.id);
    const names = own.map((e) => e.event);
    expect(names[0]).toBe('backup.created');
    expect(names[names.length - 1]).toBe('backup.finished');
    const progress = own.filter((e) => e.event === 'backup.progress');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(names).toEqual([
      'backup.created',
      'backup.started',
      ...progress.map(() => 'backup.progress'),
      'backup.finished',
    ]);
    expect(own[0].data).toMatchObject({ database_id: database.id, name: backup.name, status: 'pending' });
    expect(own[1].data).toEqual({ backup_id: backup.id, database_id: database.id, name: backup.name, attempt: 1 });
    for (const event of progress) {
      expect(event.data).toEqual({
        backup_id: backup.id,
        database_id: database.id,
        bytes_processed: expect.any(Number),
        rate: expect.any(Number),
      });
    }
    // Ids grow; the tenant never travels to the client.
    const seqs = own.map((e) => Number(e.id!.split('-')[1]));
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(JSON.stringify(a.events)).not.toMatch(/tenant/);

    // Tenant B heard nothing of it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(b.events.map((e) => e.event)).toEqual(['ready']);
    expect(JSON.stringify(b.events)).not.toContain(backup.id as string);
    // Its ids count its own events only: nothing about tenant A's.
    expect(b.events[0].id).toMatch(/-0$/);

    // Reconnecting with the id of the creation replays what came after it, then says ready.
    const created = own[0];
    const again = await open(tokenA, created.id);
    await again.next((e) => e.event === 'ready', 'ready after the replay');
    expect(again.events.map((e) => e.id)).toEqual([...own.slice(1).map((e) => e.id), expect.any(String)]);
    expect(again.events.slice(0, -1)).toEqual(own.slice(1));
    // Tenant B reconnecting from tenant A's id gets none of tenant A's events: an id it never had is unknown.
    const bAgain = await open(tokenB, created.id);
    await bAgain.next((e) => e.event === 'ready', 'ready (tenant B) after the replay');
    expect(bAgain.events.map((e) => e.event)).toEqual(['reset', 'ready']);
    // Reconnecting from its own id replays nothing (nothing of its own happened).
    const bOwn = await open(tokenB, b.events[0].id);
    await bOwn.next((e) => e.event === 'ready', 'ready (tenant B) from its own id');
    expect(bOwn.events.map((e) => e.event)).toEqual(['ready']);

    // An id this process does not know: reset (refetch), then ready.
    const unknown = await open(tokenA, 'ffffffff-1');
    await unknown.next((e) => e.event === 'ready', 'ready after the reset');
    expect(unknown.events.map((e) => e.event)).toEqual(['reset', 'ready']);

    // The listening connection drops: it comes back, open streams are told `reset`, events flow again.
    const [{ n }] = await sql(
      databaseUrl,
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'dumpstation-api-events' AND datname = current_database()`,
    );
    expect(n).toBe(1);
    await a.next((e) => e.event === 'reset', 'reset after the listener reconnected', 20_000);
    const second = await call('POST', `/databases/${database.id}/backup`);
    await a.next(
      (e) => e.event === 'backup.finished' && e.data.backup_id === second.id,
      'the second backup.finished',
      40_000,
    );
  }, 60_000);

  it('ends open streams when the process shuts down, so it exits cleanly', async () => {
    const client = await open(tokenA);
    await client.next((e) => e.event === 'ready', 'ready');
    const started = Date.now();
    expect(await api!.stop()).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
