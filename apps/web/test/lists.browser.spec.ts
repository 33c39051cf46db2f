import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningPostgres } from '@dumpstation/testing';
import {
  SCREENSHOTS,
  openFromNavigation,
  setUpConsoleWithPostgres,
  storedSession,
  withPg,
  type ConsoleStack,
} from './support';

type Backup = { id: string; name: string; status: string };

// Issue 13 in Chromium: what a fresh tenant is told to do first, a toast when a backup started in
// the tab ends, the Backups page of every database with its filters kept in the URL, and the
// activity log's filters.
describe('next steps, job toasts, the backups and activity lists in Chromium', () => {
  const env = setUpConsoleWithPostgres('lists', async (pg15) => {
    await pg15.createDatabase('shop');
    await withPg(pg15.urlFor('shop'), async (client) => {
      await client.query('CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL)');
      await client.query("INSERT INTO items VALUES (1, 'anvil'), (2, 'rope')");
    });
  });
  let stack: ConsoleStack;
  let page: Page;
  let pg15: RunningPostgres;
  const ids: Record<string, string> = {};

  beforeAll(() => {
    ({ stack, page, pg15 } = env);
  });

  /** The API as the signed-in admin (setting up what the page then shows). */
  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const token = (await storedSession(page))!.accessToken;
    const response = await fetch(`${stack.api.url}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }
  async function addDatabase(name: string, dbname: string, storageId: string) {
    const created = await api<{ id: string }>('POST', '/databases', {
      name,
      host: pg15.host,
      port: pg15.port,
      dbname,
      user: pg15.user,
      password: pg15.password,
      sslmode: 'disable',
      storage_id: storageId,
    });
    ids[name] = created.id;
  }
  async function backUp(databaseId: string): Promise<Backup> {
    const started = await api<Backup>('POST', `/databases/${databaseId}/backup`);
    for (let i = 0; i < 600; i++) {
      const backup = await api<Backup>('GET', `/backups/${started.id}`);
      if (backup.status === 'success' || backup.status === 'failed') return backup;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`backup ${started.id} did not finish`);
  }
  /** Picks `option` in the filter (a Select) named `label`. */
  async function choose(label: string, option: string) {
    await page.getByRole('textbox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }
  const rows = () => page.locator('[data-testid="tenant-backups-table"] tbody tr');
  /** The database names of the listed rows, once the list shows `count` of them. */
  async function listed(count: number): Promise<string[]> {
    await page.getByTestId('backup-count').getByText(`${count} backup`).waitFor({ timeout: 20_000 });
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="tenant-backups-table"] tbody tr').length === n,
      count,
      { timeout: 20_000 },
    );
    return Promise.all((await rows().all()).map((row) => row.getAttribute('data-database') as Promise<string>));
  }

  it('tells a fresh tenant to add a storage first, then a database, then to run the first backup', async () => {
    // The overview's first-run checklist (first-run.browser.spec.ts follows it to the end).
    const checklist = page.getByTestId('first-run');
    await checklist.locator('[data-step="storage"][data-done="false"]').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'next-step-storage.png') });
    await checklist.getByRole('link', { name: 'Add a storage' }).click();
    await page.waitForURL(`${stack.webUrl}/storage`);

    const storage = await api<{ id: string }>('POST', '/storage', { name: 'disk', provider: 'local' });
    ids.storage = storage.id;
    // Made outside this tab: a fresh load shows it.
    await page.goto(`${stack.webUrl}/databases`);
    await page.getByTestId('next-step').getByRole('heading', { name: 'Add a database' }).waitFor({ timeout: 20_000 });

    await addDatabase('shop', 'shop', storage.id);
    await addDatabase('broken', 'no_such_database', storage.id);
    await page.goto(`${stack.webUrl}/`);
    await page
      .getByTestId('first-run')
      .locator('[data-step="backup"][data-done="false"]')
      .getByRole('link', { name: /^Back up / })
      .waitFor({ timeout: 20_000 });
  });

  it('shows one toast when a backup started in this tab finishes', async () => {
    await page.goto(`${stack.webUrl}/databases/${ids.shop}`);
    await page.getByRole('heading', { name: 'shop', exact: true }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Back up now' }).click();
    const toast = page.getByTestId('toast');
    await toast.waitFor({ timeout: 60_000 });
    expect(await toast.innerText()).toMatch(/Backup of shop finished: \d+(\.\d)? (B|KiB|MiB) in \d+(\.\d)? (ms|s)/);
    expect(await toast.getAttribute('data-color')).toBe('teal');
    await page.screenshot({ path: join(SCREENSHOTS, 'backup-toast.png') });
    // Once: the list goes on being fetched, no second toast comes.
    await page.waitForTimeout(2_500);
    expect(await page.getByTestId('toast').count()).toBe(1);
    await toast.getByRole('button', { name: 'Dismiss' }).click();
    await toast.waitFor({ state: 'detached', timeout: 5_000 });
  });

  it('toasts a failure with its reason', async () => {
    await page.goto(`${stack.webUrl}/databases/${ids.broken}`);
    await page.getByRole('heading', { name: 'broken', exact: true }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Back up now' }).click();
    const toast = page.getByTestId('toast');
    await toast.waitFor({ timeout: 60_000 });
    expect(await toast.innerText()).toMatch(/Backup of broken failed: .+/);
    expect(await toast.getAttribute('data-color')).toBe('red');
    await toast.getByRole('button', { name: 'Dismiss' }).click();
  });

  it('lists every database’s backups; status, search and database filters narrow it and survive a reload', async () => {
    await backUp(ids.shop);
    await openFromNavigation(page, stack, 'Backups', '/backups');
    expect(await listed(3)).toEqual(['shop', 'broken', 'shop']);
    await page.screenshot({ path: join(SCREENSHOTS, 'backups-all.png') });
    const [newest] = await rows().all();
    await newest.getByRole('link', { name: 'shop' }).waitFor();
    expect(await newest.getByRole('link', { name: 'shop' }).getAttribute('href')).toBe(`/databases/${ids.shop}`);

    // Status.
    await choose('Status', 'Failed');
    expect(await listed(1)).toEqual(['broken']);
    await page.waitForURL(/[?&]status=failed/);
    await choose('Status', 'Success');
    expect(await listed(2)).toEqual(['shop', 'shop']);
    await page.goto(`${stack.webUrl}/backups`);
    expect(await listed(3)).toHaveLength(3);

    // Search (debounced, into the URL).
    await page.getByRole('textbox', { name: 'Search', exact: true }).fill('BROK');
    expect(await listed(1)).toEqual(['broken']);
    await page.waitForURL(/[?&]search=BROK/);
    await page.getByRole('button', { name: 'Clear the search' }).click();
    expect(await listed(3)).toHaveLength(3);

    // Database, then a reload: the URL keeps it, and the picker and the list show it.
    await choose('Database', 'shop');
    expect(await listed(2)).toEqual(['shop', 'shop']);
    await page.waitForURL(new RegExp(`[?&]database=${ids.shop}`));
    await page.getByRole('textbox', { name: 'Search', exact: true }).fill('shop');
    await page.waitForURL(/[?&]search=shop/);
    await page.reload();
    expect(await listed(2)).toEqual(['shop', 'shop']);
    await page.waitForFunction(
      () => document.querySelector<HTMLInputElement>('input[aria-label="Database"]')?.value === 'shop',
      undefined,
      { timeout: 20_000 },
    );
    expect(await page.getByRole('textbox', { name: 'Search', exact: true }).inputValue()).toBe('shop');
    await page.screenshot({ path: join(SCREENSHOTS, 'backups-filtered.png') });
    // A date range before any backup: none.
    await page.getByRole('textbox', { name: 'To', exact: true }).fill('2020-01-01');
    await page.getByText('No backups match these filters.').waitFor({ timeout: 20_000 });
    await page.waitForURL(/[?&]to=2020-01-01/);
  });

  it('filters the activity log by level and by resource type, in the URL', async () => {
    await openFromNavigation(page, stack, 'Activity', '/activity');
    const entries = page.getByTestId('activity-row');
    await entries.first().waitFor({ timeout: 20_000 });
    const attributes = async (name: string) => Promise.all((await entries.all()).map((row) => row.getAttribute(name)));

    await choose('Resource type', 'Storage');
    await page.waitForURL(/[?&]resource=Storage/);
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="activity-row"]')].every(
          (row) => row.getAttribute('data-resource-type') === 'Storage',
        ),
      undefined,
      { timeout: 20_000 },
    );
    expect(await attributes('data-event')).toEqual(['storage.create']);

    await choose('Resource type', 'Backups');
    await choose('Level', 'Errors');
    await page.waitForURL(/[?&]level=Error/);
    await page.waitForFunction(
      () => {
        const all = [...document.querySelectorAll('[data-testid="activity-row"]')];
        return all.length > 0 && all.every((row) => row.getAttribute('data-level') === 'Error');
      },
      undefined,
      { timeout: 20_000 },
    );
    expect(new Set(await attributes('data-resource-type'))).toEqual(new Set(['Backup']));
    expect(await attributes('data-event')).toContain('backup.finish');
    await page.reload();
    await entries.first().waitFor({ timeout: 20_000 });
    expect(new Set(await attributes('data-level'))).toEqual(new Set(['Error']));
    expect(await page.getByRole('textbox', { name: 'Level', exact: true }).inputValue()).toBe('Errors');
    await page.screenshot({ path: join(SCREENSHOTS, 'activity-filtered.png') });
  });
});
