import type { Page } from 'playwright-core';
import type { RunningPostgres } from '@dumpstation/testing';
import { closed, openFromNavigation, pick, setUpConsoleWithPostgres, withPg, type ConsoleStack } from './support';

const SOURCE_DB = 'ledger';

// Retention in Chromium: the editor previews what a policy would remove before it is saved, and
// after the next backup the removed ones stay in the history as Deleted.
describe('retention in Chromium', () => {
  const env = setUpConsoleWithPostgres('retention', async (pg15) => {
    await pg15.createDatabase(SOURCE_DB);
    await withPg(pg15.urlFor(SOURCE_DB), async (client) => {
      await client.query('CREATE TABLE entries (id integer PRIMARY KEY, amount numeric)');
      await client.query('INSERT INTO entries SELECT g, g * 1.5 FROM generate_series(1, 100) g');
    });
  });
  let stack: ConsoleStack;
  let page: Page;
  let pg15: RunningPostgres;

  beforeAll(() => {
    ({ stack, page, pg15 } = env);
  });

  const rows = () => page.locator('[data-testid^="backup-row-"]');
  const statuses = async () => rows().evaluateAll((els) => els.map((el) => el.getAttribute('data-status')));

  async function backUpNow(expected: number) {
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll('[data-testid^="backup-row-"]').length === n &&
        document.querySelectorAll('[data-testid^="backup-row-"][data-status="success"]').length >= 1 &&
        document.querySelectorAll(
          '[data-testid^="backup-row-"][data-status="pending"], [data-testid^="backup-row-"][data-status="running"]',
        ).length === 0,
      expected,
      { timeout: 60_000 },
    );
  }

  it('adds a database and backs it up three times', async () => {
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
    await dialog.getByLabel(/^Name/).fill('ledger');
    await dialog.getByLabel(/^Host/).fill(pg15.host);
    await dialog.getByLabel(/^Port/).fill(String(pg15.port));
    await dialog.getByLabel(/^Database name/).fill(SOURCE_DB);
    await dialog.getByLabel(/^Username/).fill(pg15.user);
    await dialog.getByLabel(/^Password/).fill(pg15.password);
    await pick(page, dialog, /^SSL mode/, 'disable');
    // No preview for a database that does not exist yet.
    expect(await dialog.getByTestId('retention-preview').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Add database' }).click();
    await closed(page, dialog);
    await page.getByTestId('database-row-ledger').getByRole('link', { name: 'ledger' }).click();
    await page.waitForURL(/\/databases\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'ledger' }).waitFor({ timeout: 20_000 });

    for (let n = 1; n <= 3; n++) await backUpNow(n);
    expect(await statuses()).toEqual(['success', 'success', 'success']);
  });

  it('previews the policy in the editor, saves it, and the next backup removes the oldest, shown as Deleted', async () => {
    const names = await rows().evaluateAll((els) =>
      els.map((el) => (el.getAttribute('data-testid') ?? '').replace(/^backup-row-/, '')),
    );
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit ledger' });
    await pick(page, dialog, /^Retention/, 'Keep the newest N backups');
    await dialog.getByLabel(/^Backups to keep/).fill('1');
    const preview = dialog.getByTestId('retention-preview');
    await preview.getByText('These 2 backups would be removed').waitFor({ timeout: 10_000 });
    for (const name of names.slice(1)) {
      expect(await preview.getByTestId(`retention-remove-${name}`).innerText()).toMatch(/beyond the newest 1$/);
    }
    // Two to keep: only the oldest would go.
    await dialog.getByLabel(/^Backups to keep/).fill('2');
    await preview.getByText('This backup would be removed').waitFor({ timeout: 10_000 });
    await dialog.getByRole('button', { name: 'Save database' }).click();
    await closed(page, dialog);
    await page.getByTestId('database-settings').getByText('Keep the newest 2 backups').waitFor({ timeout: 10_000 });

    await backUpNow(4);
    // Retention runs right after the success is recorded: look again until it shows.
    for (let attempt = 0; ; attempt++) {
      const now = await statuses();
      if (now.filter((s) => s === 'deleted').length === 2) break;
      if (attempt > 50) throw new Error(`history still ${JSON.stringify(now)}`);
      await page.waitForTimeout(200);
      await page.reload();
      await rows().first().waitFor({ timeout: 20_000 });
    }
    expect(await statuses()).toEqual(['success', 'success', 'deleted', 'deleted']);
    const oldest = page.getByTestId(`backup-row-${names[2]}`);
    expect(await oldest.getByTestId('backup-status').textContent()).toBe('Deleted');
  });
});
