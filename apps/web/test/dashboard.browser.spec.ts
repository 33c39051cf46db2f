import { join } from 'node:path';
import { startThrottledProxy, type ThrottledProxy } from '@dumpstation/testing';
import { SCREENSHOTS, setUpConsoleWithPostgres, storedSession, withPg } from './support';

const SOURCE_DB = 'big';

// Issue 13: the overview is a dashboard kept current by the live events. A backup seen running
// shows a progress bar whose bytes grow, then the counters take it in; a database whose backup
// failed is listed as needing attention, with the failure's reason; all without a reload, at
// desktop and phone widths.
//
// The backed-up database is reached through a proxy that slows what PostgreSQL sends while the
// test watches a backup run, then lets it finish at full speed: how long a backup runs is the
// test's choice, not the machine's speed.
const WATCHING_RATE = 256 * 1024;

describe('dashboard in Chromium', () => {
  let slow: ThrottledProxy | undefined;
  afterAll(async () => {
    await slow?.stop();
  });

  const env = setUpConsoleWithPostgres('dashboard', async (pg15) => {
    await pg15.createDatabase(SOURCE_DB);
    await withPg(pg15.urlFor(SOURCE_DB), async (client) => {
      await client.query('CREATE TABLE blobs (id int PRIMARY KEY, body text NOT NULL)');
      await client.query(
        `INSERT INTO blobs SELECT g, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text) || md5((g * 17)::text)
         FROM generate_series(1, 100000) g`,
      );
    });
  });

  it('follows a running backup, then counts it, and lists the failing database, without a reload', async () => {
    const { page, stack, pg15 } = env;
    const session = (await storedSession(page))!;
    const api = async <T = { id: string }>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${stack.api.url}/api/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.accessToken}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    };
    const connection = { host: pg15.host, port: pg15.port, user: pg15.user, sslmode: 'disable' };
    slow = await startThrottledProxy(pg15, null);
    const storage = await api('POST', '/storage', { name: 'dash-disk', provider: 'local' });
    const big = await api('POST', '/databases', {
      ...connection,
      host: slow.host,
      port: slow.port,
      name: 'dash-big',
      dbname: SOURCE_DB,
      password: pg15.password,
      storage_id: storage.id,
      // Far enough away not to run during the test: it fills the next runs.
      schedule: '0 3 * * *',
    });

    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(stack.webUrl);
    const dashboard = page.getByTestId('dashboard');
    await dashboard.waitFor({ timeout: 20_000 });
    // Marks this document: a reload would lose it.
    await page.evaluate(() => ((window as unknown as { dashboardMark: number }).dashboardMark = 1));
    const backups24h = page.getByTestId('stat-backups-24h');
    expect(await page.getByTestId('stat-databases').getAttribute('data-value')).toBe('1');
    expect(await backups24h.getAttribute('data-value')).toBe('0');
    await page.getByTestId(`next-run-${big.id}`).waitFor();
    // The charts are titled and told in words, besides the drawing.
    for (const [chart, title] of [
      ['chart-outcomes', 'Backups, last 30 days'],
      ['chart-storage', 'Storage growth, last 30 days'],
    ]) {
      await page.getByRole('region', { name: title }).waitFor();
      expect(await page.getByTestId(`${chart}-summary`).getAttribute('aria-label')).toMatch(/30|from/);
      expect(await page.getByTestId(chart).locator('svg').count()).toBeGreaterThan(0);
    }
    expect(await page.getByRole('table', { name: 'Backups, last 30 days' }).locator('tbody tr').count()).toBe(30);

    slow.setRate(WATCHING_RATE);
    const started = await api('POST', `/databases/${big.id}/backup`);
    const running = page.getByTestId(`running-${started.id}`);
    await running.waitFor({ timeout: 30_000 });
    const bar = running.getByRole('progressbar', { name: 'Backup of dash-big' });
    await bar.waitFor();
    // In words: waiting for pg_dump… before its first byte, then dumping….
    expect(await running.getAttribute('data-phase')).toMatch(/^(waiting|dumping)$/);
    await page.locator(`[data-testid="running-${started.id}"][data-phase="dumping"]`).waitFor({ timeout: 30_000 });
    expect(await running.getByTestId(`running-${started.id}-phase`).innerText()).toBe('dumping…');
    const bytesOf = async () => Number(await running.getAttribute('data-bytes'));
    const firstBytes = await bytesOf();
    // The bytes grow while it runs (backup.progress patches the cached list).
    await page.waitForFunction(
      ({ id, from }) =>
        Number(document.querySelector(`[data-testid="running-${id}"]`)?.getAttribute('data-bytes')) > from,
      { id: started.id, from: firstBytes },
      { timeout: 30_000 },
    );
    const laterText = await running.getByTestId(`running-${started.id}-bytes`).innerText();
    expect(laterText).toMatch(/^\d+(\.\d)? (B|KiB|MiB)$/);
    expect(await bar.getAttribute('aria-valuetext')).toMatch(/written/);
    // Its throughput once it has run a second, and how long it has run.
    await page.waitForFunction(
      (id) =>
        /\/s · .+ elapsed$/.test(document.querySelector(`[data-testid="running-${id}-facts"]`)?.textContent ?? ''),
      started.id,
      { timeout: 20_000 },
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-first-run-1440.png'), fullPage: true });
    slow.setRate(null);

    // It ends: gone from the running ones, counted in the last 24 hours.
    await running.waitFor({ state: 'detached', timeout: 90_000 });
    await page.waitForFunction(
      () => document.querySelector('[data-testid="stat-backups-24h"]')?.getAttribute('data-value') === '1',
      undefined,
      { timeout: 20_000 },
    );
    await page
      .getByTestId('stat-backups-24h-detail')
      .getByText(/1 succeeded · 0 failed/)
      .waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('stat-success-rate-value').innerText()).toBe('100 %');
    expect(await page.getByTestId('stat-storage-value').innerText()).toMatch(/^\d+(\.\d)? (KiB|MiB)$/);
    expect(await page.getByTestId('stat-storage-value').locator('[title]').getAttribute('title')).toMatch(
      /^\d{1,3}(,\d{3})* bytes$/,
    );
    // The storage growth is drawn (an area), and told in words.
    await page.getByTestId('chart-storage').locator('.recharts-area-area').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('chart-storage-summary').getAttribute('aria-label')).toMatch(
      /^Successful backups wrote \d+(\.\d)? (KiB|MiB) from /,
    );

    // Another backup of it: measured against the first one's size, its bar fills (aria-valuenow grows).
    slow.setRate(WATCHING_RATE);
    const second = await api('POST', `/databases/${big.id}/backup`);
    const secondBar = page.getByTestId(`running-${second.id}`).getByRole('progressbar');
    await secondBar.waitFor({ timeout: 30_000 });
    // Some progress first, then more: the share grows while it runs.
    const grows = async (from: number) =>
      page.waitForFunction(
        ({ id, from }) => {
          const bar = document.querySelector(`[data-testid="running-${id}"] [role="progressbar"]`);
          return Number(bar?.getAttribute('aria-valuenow') ?? 0) > from;
        },
        { id: second.id, from },
        { timeout: 30_000 },
      );
    await grows(0);
    await grows(Number(await secondBar.getAttribute('aria-valuenow')));
    expect(await secondBar.getAttribute('aria-valuetext')).toMatch(/written, about \d+ % of the last backup's size$/);
    expect(await page.getByTestId(`running-${second.id}-facts`).innerText()).toMatch(/ of about \d/);
    expect(await page.getByTestId(`running-${second.id}-phase`).innerText()).toMatch(/^dumping… \d+ %$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-running-1440.png'), fullPage: true });
    slow.setRate(null);
    await page.getByTestId(`running-${second.id}`).waitFor({ state: 'detached', timeout: 90_000 });
    await page
      .getByTestId('stat-backups-24h-detail')
      .getByText(/2 succeeded · 0 failed/)
      .waitFor({ timeout: 20_000 });

    // A database whose password is wrong: its backup fails and it is failing, listed first.
    const wrong = await api('POST', '/databases', {
      ...connection,
      name: 'dash-wrong',
      dbname: SOURCE_DB,
      password: `${pg15.password}-wrong`,
      storage_id: storage.id,
    });
    const failed = await api('POST', `/databases/${wrong.id}/backup`);
    const attention = page.getByTestId(`attention-${wrong.id}`);
    await attention.waitFor({ timeout: 60_000 });
    expect(await attention.getAttribute('data-protection')).toBe('failing');
    expect(await attention.innerText()).toMatch(
      /dash-wrong[\s\S]*Failing[\s\S]*Last backup failed (just now|\d+ \w+ ago)/i,
    );
    expect(await attention.getByRole('link', { name: 'dash-wrong' }).getAttribute('href')).toBe(
      `/databases/${wrong.id}`,
    );
    const failure = page.getByTestId(`failure-${failed.id}`);
    await failure.waitFor({ timeout: 20_000 });
    expect(await failure.innerText()).toMatch(/dash-wrong[\s\S]*(password|authentication)/i);
    await page.getByTestId('stat-failing-value').getByText('1', { exact: true }).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('stat-failing-detail').innerText()).toMatch(/1 database whose last backup failed/);
    await page
      .getByTestId('stat-backups-24h-detail')
      .getByText(/2 succeeded · 1 failed/)
      .waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('stat-success-rate-value').innerText()).toBe('66.7 %');
    // Still the same document: everything came by the live events.
    expect(await page.evaluate(() => (window as unknown as { dashboardMark?: number }).dashboardMark)).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-1440.png'), fullPage: true });

    // At phone width the cards stack in one column and nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => {
      const a = document.querySelector('[data-testid="stat-databases"]')!.getBoundingClientRect();
      const b = document.querySelector('[data-testid="stat-failing"]')!.getBoundingClientRect();
      return a.left === b.left && b.top >= a.bottom;
    });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-390.png'), fullPage: true });

    // The dark scheme (the shell's toggle) at desktop width, then back.
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole('button', { name: 'Switch to dark mode' }).click();
    await page.waitForFunction(() => document.documentElement.dataset.mantineColorScheme === 'dark');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-1440-dark.png'), fullPage: true });
    await page.getByRole('button', { name: 'Switch to light mode' }).click();

    // In the database's history, the row of a running backup says what it does, and, measured
    // against the previous backup's size, how far it is.
    slow.setRate(WATCHING_RATE);
    const third = await api('POST', `/databases/${big.id}/backup`);
    await page.goto(`${stack.webUrl}/databases/${big.id}`);
    const progress = page.locator(
      `[data-testid^="backup-row-"][data-status="running"] [data-testid="backup-progress"][data-phase="dumping"][data-percent]`,
    );
    await progress.waitFor({ timeout: 30_000 });
    expect(await progress.getByTestId('backup-progress-phase').innerText()).toMatch(
      /^dumping… \d+(\.\d)? (B|KiB|MiB) · \d+ %$/,
    );
    expect(await progress.getByTestId('backup-progress-timing').innerText()).toMatch(/elapsed$/);
    expect(await progress.getByRole('progressbar').count()).toBe(1);
    await progress.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'backup-history-running-1440.png') });
    slow.setRate(null);
    await waitForJobEnd(api, third.id);
  });
});

/** Polls the backup until it has ended, so the run ends with nothing running. */
async function waitForJobEnd(api: <T>(method: string, path: string) => Promise<T>, id: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const backup = await api<{ status: string }>('GET', `/backups/${id}`);
    if (backup.status !== 'pending' && backup.status !== 'running') return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`backup ${id} still running after 90 s`);
}
