import type { Request } from 'playwright-core';
import { setUpConsoleWithPostgres, storedSession, withPg } from './support';

const SOURCE_DB = 'big';

// Issue 13: the console follows GET /api/v1/events instead of polling. A backup long enough to
// be polled several times over goes from pending to success in the history without a reload,
// while the history is fetched only when an event says it changed.
describe('live events in Chromium', () => {
  const env = setUpConsoleWithPostgres('live-events', async (pg15) => {
    await pg15.createDatabase(SOURCE_DB);
    await withPg(pg15.urlFor(SOURCE_DB), async (client) => {
      await client.query('CREATE TABLE blobs (id int PRIMARY KEY, body text NOT NULL)');
      await client.query(
        `INSERT INTO blobs SELECT g, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text) || md5((g * 17)::text)
         FROM generate_series(1, 400000) g`,
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

    await page.getByRole('button', { name: 'Back up now' }).click();
    const row = page.locator('[data-testid^="backup-row-"]');
    await page.locator('[data-testid^="backup-row-"][data-status="running"]').waitFor({ timeout: 20_000 });
    const runningFrom = Date.now();
    const fetchesBefore = listFetches.length;
    await page.locator('[data-testid^="backup-row-"][data-status="success"]').waitFor({ timeout: 60_000 });
    const runningMs = Date.now() - runningFrom;
    page.off('request', onRequest);
    expect(await row.count()).toBe(1);

    // Long enough that a one-second poll would have fetched the list again and again.
    expect(runningMs).toBeGreaterThan(3_000);
    // Fetched on events only: at most the first progress (running) and the end, not once a second.
    const fetchedWhileRunning = listFetches.length - fetchesBefore;
    // (No ratio to the wall-clock duration: it flaked on a loaded machine.)
    expect(fetchedWhileRunning).toBeLessThanOrEqual(3);
    // Still one stream: nothing reconnected meanwhile.
    expect(streams).toHaveLength(1);
  });
});
