import type { Request } from 'playwright-core';
import { setUpConsoleWithPostgres, storedSession, withPg } from './support';

const SOURCE_DB = 'big';

// Issue 13: the console follows GET /api/v1/events instead of polling. A backup held running for
// seconds (the test locks the table pg_dump must read, so the duration does not depend on the
// machine's speed) goes from pending to success in the history without a reload, while the
// history is fetched only when an event says it changed.
describe('live events in Chromium', () => {
  const env = setUpConsoleWithPostgres('live-events', async (pg15) => {
    await pg15.createDatabase(SOURCE_DB);
    await withPg(pg15.urlFor(SOURCE_DB), async (client) => {
      await client.query('CREATE TABLE blobs (id int PRIMARY KEY, body text NOT NULL)');
      await client.query(
        `INSERT INTO blobs SELECT g, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text) || md5((g * 17)::text)
         FROM generate_series(1, 50000) g`,
      );
    });
  });

  it('shows a backup reach success without a reload, fetching the history only on events', async () => {
    const { page, stack, pg15 } = env;
    const session = (await storedSession(page))!;
    const api = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${stack.api.url}/api/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.accessToken}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as { id: string };
    };
    const storage = await api('POST', '/storage', { name: 'live-disk', provider: 'local' });
    const database = await api('POST', '/databases', {
      name: 'live-big',
      host: pg15.host,
      port: pg15.port,
      dbname: SOURCE_DB,
      user: pg15.user,
      password: pg15.password,
      sslmode: 'disable',
      storage_id: storage.id,
    });

    const streams: string[] = [];
    const listFetches: number[] = [];
    const onRequest = (request: Request) => {
      const url = request.url();
      if (url.endsWith('/api/v1/events')) streams.push(url);
      if (new RegExp(`/api/v1/databases/${database.id}/backups`).test(url)) listFetches.push(Date.now());
    };
    page.on('request', onRequest);
    await page.goto(`${stack.webUrl}/databases/${database.id}`);
    await page
      .getByTestId('backup-history')
      .getByText(/^No backups yet/)
      .waitFor({ timeout: 20_000 });
    expect(streams).toHaveLength(1);

    let runningMs = 0;
    let fetchesBefore = 0;
    await withPg(pg15.urlFor(SOURCE_DB), async (locker) => {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE blobs IN ACCESS EXCLUSIVE MODE');
      await page.getByRole('button', { name: 'Back up now' }).click();
      await page.locator('[data-testid^="backup-row-"][data-status="running"]').waitFor({ timeout: 20_000 });
      const runningFrom = Date.now();
      fetchesBefore = listFetches.length;
      // pg_dump is now waiting for its share lock on blobs: the backup cannot finish until we let go.
      await waitUntil(async () => {
        const { rows } = await locker.query(
          `SELECT count(*)::int AS waiting FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
           WHERE c.relname = 'blobs' AND NOT l.granted`,
        );
        return (rows[0] as { waiting: number }).waiting > 0;
      });
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      await locker.query('COMMIT');
      await page.locator('[data-testid^="backup-row-"][data-status="success"]').waitFor({ timeout: 60_000 });
      runningMs = Date.now() - runningFrom;
    });
    page.off('request', onRequest);
    expect(await page.locator('[data-testid^="backup-row-"]').count()).toBe(1);

    // Running for over four seconds: a one-second poll would have fetched the list four times or more.
    expect(runningMs).toBeGreaterThan(4_000);
    // Fetched on events only: at most the first progress (running) and the end, not once a second.
    const fetchedWhileRunning = listFetches.length - fetchesBefore;
    expect(fetchedWhileRunning).toBeLessThanOrEqual(3);
    // Still one stream: nothing reconnected meanwhile.
    expect(streams).toHaveLength(1);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('pg_dump never waited for the lock on blobs');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
