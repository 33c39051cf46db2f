import type { Page } from 'playwright-core';
import type { RunningPostgres } from '@dumpstation/testing';
import { closed, openFromNavigation, pick, setUpConsoleWithPostgres, withPg, type ConsoleStack } from './support';

// The API processes spawned below inherit this: the scheduler looks for due slots twice a second.
process.env.SCHEDULER_POLL_MS = '500';
// And accept a seconds field, so the schedule fires every few seconds.
process.env.SCHEDULE_ALLOW_SECONDS = 'true';

const SOURCE_DB = 'orders';

// The schedule editor in Chromium: presets, a time zone, the description and next runs from the
// API while typing, a refused expression named under its field; then a schedule firing every
// 5 s (test mode allows a seconds field) whose backups appear in the history without a reload,
// and the pause toggle on the list.
describe('schedules in Chromium', () => {
  const env = setUpConsoleWithPostgres('schedules', async (pg15) => {
    await pg15.createDatabase(SOURCE_DB);
    await withPg(pg15.urlFor(SOURCE_DB), async (client) => {
      await client.query('CREATE TABLE orders (id integer PRIMARY KEY)');
      await client.query('INSERT INTO orders SELECT generate_series(1, 10)');
    });
  });
  let stack: ConsoleStack;
  let page: Page;
  let pg15: RunningPostgres;

  beforeAll(() => {
    ({ stack, page, pg15 } = env);
  });

  it('edits a schedule with live description and next runs, and its backups appear in the history', async () => {
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
    await dialog.getByLabel(/^Name/).fill('orders');
    await dialog.getByLabel(/^Host/).fill(pg15.host);
    await dialog.getByLabel(/^Port/).fill(String(pg15.port));
    await dialog.getByLabel(/^Database name/).fill(SOURCE_DB);
    await dialog.getByLabel(/^Username/).fill(pg15.user);
    await dialog.getByLabel(/^Password/).fill(pg15.password);
    await pick(page, dialog, /^SSL mode/, 'disable');

    const editor = dialog.getByTestId('schedule-editor');
    await editor.getByTestId('schedule-preset-weekly').click();
    expect(await dialog.getByLabel(/^Schedule/).inputValue()).toBe('0 3 * * 0');
    await editor.getByTestId('schedule-description').getByText('At 03:00, only on Sunday').waitFor({ timeout: 10_000 });
    // The picker lists Intl's zones; typing narrows it.
    await dialog.getByLabel(/^Time zone/).fill('Europe/Berl');
    await page.getByRole('option', { name: 'Europe/Berlin' }).click();
    const runs = editor.getByTestId('schedule-next-runs').locator('li');
    await page.waitForFunction(
      () =>
        document.querySelectorAll(
          '[data-testid="schedule-next-runs"] li[data-run$="+01:00"], [data-testid="schedule-next-runs"] li[data-run$="+02:00"]',
        ).length === 5,
      undefined,
      { timeout: 10_000 },
    );
    expect(await runs.count()).toBe(5);
    expect(await runs.first().innerText()).toMatch(/^Sun, .* 03:00 \(\+0[12]:00\)$/);

    // A refused expression: the API's reason under the field, no stale runs.
    await dialog.getByLabel(/^Schedule/).fill('0 0 30 2 *');
    await dialog.getByText('schedule never fires (no such date, e.g. 30 February)').waitFor({ timeout: 10_000 });
    expect(await editor.getByTestId('schedule-next-runs').count()).toBe(0);

    // Every 5 seconds (a seconds field: test mode).
    await dialog.getByLabel(/^Schedule/).fill('*/5 * * * * *');
    await editor.getByTestId('schedule-description').getByText('Every 5 seconds').waitFor({ timeout: 10_000 });
    await dialog.getByRole('button', { name: 'Add database' }).click();
    await closed(page, dialog);
    const row = page.getByTestId('database-row-orders');
    await row
      .getByTestId('database-schedule-description')
      .getByText(/Every 5 seconds/)
      .waitFor({ timeout: 10_000 });

    await row.getByRole('link', { name: 'orders' }).click();
    await page.waitForURL(/\/databases\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'orders' }).waitFor({ timeout: 20_000 });
    // No click, no reload: the scheduled backups show up and succeed.
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid^="backup-row-"][data-status="success"]').length >= 2,
      undefined,
      { timeout: 30_000 },
    );
    expect(await page.locator('[data-testid^="backup-row-"]').first().innerText()).toMatch(/Scheduled/);
  });

  it('pauses and resumes from the databases list', async () => {
    await openFromNavigation(page, stack, 'Databases', '/databases');
    const toggle = page.getByTestId('database-row-orders');
    await toggle.getByText('Enabled').waitFor();
    await page.getByRole('switch', { name: 'Pause orders' }).click();
    await toggle.getByText('Paused').waitFor({ timeout: 10_000 });
    // Saved: still paused after a reload.
    await page.reload();
    await page.getByTestId('database-row-orders').getByText('Paused').waitFor({ timeout: 10_000 });
    await page.getByRole('switch', { name: 'Resume orders' }).click();
    await toggle.getByText('Enabled').waitFor({ timeout: 10_000 });
  });
});
