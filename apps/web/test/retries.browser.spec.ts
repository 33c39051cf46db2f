import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { RunningPostgres } from '@dumpstation/testing';
import {
  SCREENSHOTS,
  closed,
  openFromNavigation,
  pick,
  setUpConsoleWithPostgres,
  storedSession,
  withPg,
  type ConsoleStack,
} from './support';

const SOURCE_DB = 'ledger';

// A database's retry setting in Chromium: set in the add form, read back after a reload in the
// edit form and from the API, changed again; then a backup that fails (a wrong password) with one
// retry allowed: two failed rows, the second marked "attempt 2" as the retry of the first, which
// says it was retried, both in the table and in the details drawer.
describe('backup retries in Chromium', () => {
  const env = setUpConsoleWithPostgres('retries', async (pg15) => {
    await pg15.createDatabase(SOURCE_DB);
    await withPg(pg15.urlFor(SOURCE_DB), async (client) => {
      await client.query('CREATE TABLE entries (id integer PRIMARY KEY)');
      await client.query('INSERT INTO entries SELECT generate_series(1, 10)');
    });
  });
  let stack: ConsoleStack;
  let page: Page;
  let pg15: RunningPostgres;
  let databaseUrl: string;

  beforeAll(() => {
    ({ stack, page, pg15 } = env);
  });

  /** The database as the API answers it, with the console's own session. */
  async function apiDatabase(): Promise<{ retry: { attempts: number; delay_seconds: number } }> {
    const id = /\/databases\/([0-9a-f-]{36})$/.exec(databaseUrl)?.[1];
    const token = (await storedSession(page))!.accessToken;
    const response = await fetch(`${stack.api.url}/api/v1/databases/${id}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { retry: { attempts: number; delay_seconds: number } };
  }

  async function openEditForm(): Promise<Locator> {
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit flaky' });
    await dialog.getByTestId('retry-fields').waitFor({ timeout: 10_000 });
    return dialog;
  }

  it('sets the retry setting in the add form, and reads it back after a reload', async () => {
    await openFromNavigation(page, stack, 'Storage', '/storage');
    await page.getByRole('button', { name: 'Add storage' }).click();
    const storageDialog = page.getByRole('dialog', { name: 'Add storage' });
    await storageDialog.getByLabel(/^Name/).fill('local-disk');
    await storageDialog.getByText('Local disk').click();
    await storageDialog.getByRole('button', { name: 'Add storage' }).click();
    await closed(page, storageDialog);

    await openFromNavigation(page, stack, 'Databases', '/databases');
    await page.getByRole('button', { name: 'Add database' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a database' });
    await dialog.getByLabel(/^Name/).fill('flaky');
    await dialog.getByLabel(/^Host/).fill(pg15.host);
    await dialog.getByLabel(/^Port/).fill(String(pg15.port));
    await dialog.getByLabel(/^Database name/).fill(SOURCE_DB);
    await dialog.getByLabel(/^Username/).fill(pg15.user);
    // Not its password: every backup of it fails.
    await dialog.getByLabel(/^Password/).fill(`${pg15.password}-wrong`);
    await pick(page, dialog, /^SSL mode/, 'disable');
    // The defaults: never retried, a minute apart.
    expect(await dialog.getByLabel(/^Retry a failed backup/).inputValue()).toBe('0');
    expect(await dialog.getByLabel(/^Wait between attempts \(seconds\)/).inputValue()).toBe('60');
    await dialog.getByLabel(/^Retry a failed backup/).fill('3');
    await dialog.getByLabel(/^Wait between attempts \(seconds\)/).fill('90');
    await dialog.getByTestId('retry-fields').screenshot({ path: join(SCREENSHOTS, 'retry-fields.png') });
    await dialog.getByRole('button', { name: 'Add database' }).click();
    await closed(page, dialog);

    const row = page.getByTestId('database-row-flaky');
    await row.getByRole('link', { name: 'flaky' }).click();
    await page.waitForURL(/\/databases\/[0-9a-f-]{36}$/);
    databaseUrl = page.url();
    await page.getByRole('heading', { name: 'flaky' }).waitFor({ timeout: 20_000 });
    await page
      .getByTestId('database-retry')
      .getByText('Retried up to 3 times, 90 seconds after each failure')
      .waitFor({ timeout: 10_000 });
    expect((await apiDatabase()).retry).toEqual({ attempts: 3, delay_seconds: 90 });

    // Saved: the edit form opened after a reload starts from the stored values.
    await page.reload();
    await page.getByRole('heading', { name: 'flaky' }).waitFor({ timeout: 20_000 });
    const edit = await openEditForm();
    expect(await edit.getByLabel(/^Retry a failed backup/).inputValue()).toBe('3');
    expect(await edit.getByLabel(/^Wait between attempts \(seconds\)/).inputValue()).toBe('90');

    // Changed in the edit form: one retry, straight away.
    await edit.getByLabel(/^Retry a failed backup/).fill('1');
    await edit.getByLabel(/^Wait between attempts \(seconds\)/).fill('0');
    await edit.getByRole('button', { name: 'Save database' }).click();
    await closed(page, edit);
    await page
      .getByTestId('database-retry')
      .getByText('Retried once, 0 seconds after each failure')
      .waitFor({ timeout: 10_000 });
    expect((await apiDatabase()).retry).toEqual({ attempts: 1, delay_seconds: 0 });

    await page.reload();
    await page.getByRole('heading', { name: 'flaky' }).waitFor({ timeout: 20_000 });
    const again = await openEditForm();
    expect(await again.getByLabel(/^Retry a failed backup/).inputValue()).toBe('1');
    expect(await again.getByLabel(/^Wait between attempts \(seconds\)/).inputValue()).toBe('0');
    await again.getByRole('button', { name: 'Cancel' }).click();
    await closed(page, again);
  });

  it('shows a failed backup and its retry: "attempt 2", retry of the first, which says it was retried', async () => {
    await page.getByRole('button', { name: 'Back up now' }).click();
    const history = page.getByTestId('backup-history');
    // No reload: the first attempt fails, its retry shows up and fails too.
    const retryRow = history.locator('[data-testid^="backup-row-"][data-attempt="2"][data-status="failed"]');
    const firstRow = history.locator('[data-testid^="backup-row-"][data-attempt="1"][data-status="failed"]');
    await retryRow.waitFor({ timeout: 60_000 });
    await firstRow.waitFor({ timeout: 10_000 });
    const rows = history.locator('[data-testid^="backup-row-"]');
    expect(await rows.count()).toBe(2);
    // Newest first: the retry above the attempt it retries.
    expect(await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-attempt')))).toEqual(['2', '1']);
    const firstName = ((await firstRow.getAttribute('data-testid')) ?? '').replace(/^backup-row-/, '');
    const retryName = ((await retryRow.getAttribute('data-testid')) ?? '').replace(/^backup-row-/, '');
    expect(firstName).not.toBe('');
    expect(retryName).not.toBe('');

    // The retry: "attempt 2" beside its status, in text; what it retries on hover and for screen readers.
    const badge = retryRow.getByTestId('backup-attempt');
    expect(await badge.textContent()).toBe(`attempt 2, retry of ${firstName}`);
    expect(await retryRow.getByTestId('backup-status').innerText()).toMatch(/failed/i);
    await badge.hover();
    await page
      .locator('.mantine-Tooltip-tooltip')
      .filter({ hasText: `Retry of ${firstName}` })
      .waitFor({ timeout: 10_000 });
    // The first try: no attempt badge, but marked as retried.
    expect(await firstRow.getByTestId('backup-attempt').count()).toBe(0);
    expect(await firstRow.getByTestId('backup-retried').textContent()).toBe('retried as attempt 2');
    // The last attempt is not retried again.
    expect(await retryRow.getByTestId('backup-retried').count()).toBe(0);
    await history.screenshot({ path: join(SCREENSHOTS, 'backup-retries.png') });

    // The first try's details: why it failed, that it was retried, and a way to the retry.
    await firstRow.getByRole('button', { name: firstName, exact: true }).click();
    const firstDrawer = page.getByRole('dialog', { name: `Backup ${firstName}` });
    await firstDrawer.getByTestId('backup-details').waitFor({ timeout: 10_000 });
    expect(await firstDrawer.getByTestId('backup-error').innerText()).toMatch(
      /^Password authentication failed for user ".+"; it will be retried \(attempt 2\)$/,
    );
    expect(await firstDrawer.getByTestId('backup-retried-as').innerText()).toBe(`Retried as attempt 2: ${retryName}`);
    expect(await firstDrawer.getByTestId('backup-detail-attempt').innerText()).toBe('1 (first try)');
    await firstDrawer.getByTestId('backup-retried-as').getByRole('button', { name: retryName }).click();

    // The link shows the retry in the drawer, which links back to the attempt it retries.
    const retryDrawer = page.getByRole('dialog', { name: `Backup ${retryName}` });
    await retryDrawer.getByTestId('backup-details').waitFor({ timeout: 10_000 });
    expect(await retryDrawer.getByTestId('backup-detail-attempt').innerText()).toBe(`2, retry of ${firstName}`);
    expect(await retryDrawer.getByTestId('backup-error').innerText()).toMatch(
      /^Password authentication failed for user "[^"]+"$/,
    );
    expect(await retryDrawer.getByTestId('backup-retried-as').count()).toBe(0);
    await page.waitForTimeout(500); // the drawer's slide-in, for the screenshot
    await page.screenshot({ path: join(SCREENSHOTS, 'backup-retry-details.png') });
    await page.keyboard.press('Escape');
    await closed(page, retryDrawer);

    // The databases list says, in words, that it is not protected: its newest backup failed.
    await page.goto(`${stack.webUrl}/databases`);
    const protection = page.getByTestId('database-protection-flaky');
    await protection.waitFor({ timeout: 20_000 });
    expect(await protection.getAttribute('data-protection')).toBe('failing');
    expect(await protection.innerText()).toMatch(/^failing$/i);
  });
});
