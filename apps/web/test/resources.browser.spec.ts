import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { RunningPostgres } from '@dumpstation/testing';
import { SCREENSHOTS, closed, openFromNavigation, pick, setUpConsoleWithPostgres, type ConsoleStack } from './support';

const WEBHOOK_PATH = '/webhooks/123456789012345678/resources-test-token';
const WEBHOOK_URL = `https://discord.com/api${WEBHOOK_PATH}`;

// Storage, notification webhooks and databases, managed from the console in Chromium against the
// real API: local storage probed on disk, a webhook tested through the Discord stand-in, and a
// database on a real PostgreSQL 15 checked with the server's pg_dump.
describe('storage, notifications and databases in Chromium', () => {
  const env = setUpConsoleWithPostgres('storage');
  let stack: ConsoleStack;
  let page: Page;
  let pg15: RunningPostgres;
  let storageRoot: string;

  beforeAll(() => {
    ({ stack, page, pg15, storageRoot } = env);
  });

  /** The error shown under an input: the element its aria-describedby names as its error. */
  async function errorUnder(input: Locator): Promise<string> {
    const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(/\s+/).find((id) => id.endsWith('-error'));
    expect(errorId).toBeDefined();
    return page.locator(`[id="${errorId}"]`).innerText();
  }

  it('adds a local storage and tests it: a probe object is written, read back and deleted', async () => {
    await openFromNavigation(page, stack, 'Storage', '/storage');
    await page.getByText('No storage yet').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Add storage' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add storage' });
    await dialog.getByLabel(/^Name/).fill('local-disk');
    await dialog.getByText('Local disk').click();
    // Local storage has no bucket, endpoint or keys to fill in.
    expect(await dialog.getByLabel(/^Bucket/).count()).toBe(0);
    expect(await dialog.getByLabel(/^Endpoint/).count()).toBe(0);
    expect(await dialog.getByLabel(/^Access key ID/).count()).toBe(0);
    await dialog.getByLabel(/^Path prefix/).fill('nightly/');
    await dialog.getByRole('button', { name: 'Add storage' }).click();
    await closed(page, dialog);

    const row = page.getByTestId('storage-row-local-disk');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toMatch(/Local disk/i);
    expect(await row.innerText()).toContain('Server disk, folder nightly/');

    await page.getByRole('button', { name: 'Test local-disk' }).click();
    const result = page.getByTestId('storage-test-result');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('storage-test-result-message').innerText()).toBe(
      'Wrote, read back and deleted a probe object',
    );
    // The probe went to this tenant's folder under the API's storage root, and was cleaned up.
    const tenantFolders = await readdir(storageRoot);
    expect(tenantFolders).toHaveLength(1);
    expect(await readdir(join(storageRoot, tenantFolders[0], 'nightly'))).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'storage.png'), fullPage: true });
  });

  it('shows the API’s field errors under bucket and endpoint for an incomplete R2 storage', async () => {
    await page.getByRole('button', { name: 'Add storage' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add storage' });
    await dialog.getByLabel(/^Name/).fill('r2-incomplete');
    await dialog.getByText('Cloudflare R2').click();
    await dialog.getByRole('button', { name: 'Add storage' }).click();

    await dialog.getByText('Bucket is required for Cloudflare R2.').waitFor({ timeout: 10_000 });
    expect(await errorUnder(dialog.getByLabel(/^Bucket/))).toBe('Bucket is required for Cloudflare R2.');
    expect(await errorUnder(dialog.getByLabel(/^Endpoint/))).toBe('Endpoint is required for Cloudflare R2.');
    expect(await errorUnder(dialog.getByLabel(/^Access key ID/))).toBe('Access key ID is required for Cloudflare R2.');
    expect(await errorUnder(dialog.getByLabel(/^Secret access key/))).toBe(
      'Secret access key is required for Cloudflare R2.',
    );
    // Each problem under its field, a summary on top, and the first wrong input focused to fix it.
    expect(await dialog.getByRole('alert').innerText()).toBe(
      '4 fields need a look: Bucket, Endpoint, Access key ID, Secret access key.',
    );
    expect(await dialog.getByLabel(/^Bucket/).evaluate((input) => input === document.activeElement)).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'storage-form-errors.png') });

    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await closed(page, dialog);
    expect(await page.getByTestId('storage-table').innerText()).not.toContain('r2-incomplete');
  });

  it('adds a Discord webhook and tests it: the message reaches Discord', async () => {
    await openFromNavigation(page, stack, 'Notifications', '/notifications');
    await page.getByText('No webhooks yet').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a Discord webhook' });
    await dialog.getByLabel(/^Name/).fill('ops-alerts');
    await dialog.getByLabel(/^Discord webhook URL/).fill(WEBHOOK_URL);
    await dialog.getByRole('button', { name: 'Add webhook' }).click();
    await closed(page, dialog);

    const row = page.getByTestId('notification-row-ops-alerts');
    await row.waitFor({ timeout: 10_000 });
    // The URL is write-only: it is never shown again.
    expect(await page.content()).not.toContain('resources-test-token');

    const before = stack.discord.calls().filter((call) => call.path === WEBHOOK_PATH).length;
    await page.getByRole('button', { name: 'Test ops-alerts' }).click();
    const result = page.getByTestId('notification-test-result');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('notification-test-result-message').innerText()).toBe(
      'Discord accepted the test message',
    );

    const calls = stack.discord.calls().filter((call) => call.path === WEBHOOK_PATH);
    expect(calls).toHaveLength(before + 1);
    const sent = calls[calls.length - 1];
    expect(sent.method).toBe('POST');
    const embeds = (sent.body as { embeds?: { title?: string; description?: string }[] }).embeds ?? [];
    expect(embeds[0]?.title).toBe('DumpStation test notification');
    expect(embeds[0]?.description).toContain('ops-alerts');
  });

  it('adds a database on PostgreSQL 15 and tests the connection from its page', async () => {
    await openFromNavigation(page, stack, 'Databases', '/databases');
    await page.getByText('No databases yet').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Add database' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a database' });
    await dialog.getByLabel(/^Name/).fill('pg15-main');
    await dialog.getByLabel(/^Host/).fill(pg15.host);
    await dialog.getByLabel(/^Port/).fill(String(pg15.port));
    await dialog.getByLabel(/^Database name/).fill('postgres');
    await dialog.getByLabel(/^Username/).fill(pg15.user);
    await dialog.getByLabel(/^Password/).fill(pg15.password);
    await pick(page, dialog, /^SSL mode/, 'disable');
    await pick(page, dialog, /^Storage/, /^local-disk/);
    await pick(page, dialog, /^Notification/, 'ops-alerts');
    await dialog.getByLabel(/^Schedule/).fill('0 3 * * *');
    await page.screenshot({ path: join(SCREENSHOTS, 'database-form.png') });
    await dialog.getByRole('button', { name: 'Add database' }).click();
    await closed(page, dialog);

    const row = page.getByTestId('database-row-pg15-main');
    await row.waitFor({ timeout: 10_000 });
    const text = await row.innerText();
    expect(text).toContain(`${pg15.host}:${pg15.port}`);
    expect(text).toContain(`postgres as ${pg15.user} · sslmode disable`);
    expect(text).toContain('local-disk');
    expect(text).toContain('0 3 * * * (UTC)');
    expect(await page.content()).not.toContain(pg15.password);
    await page.screenshot({ path: join(SCREENSHOTS, 'databases.png'), fullPage: true });

    await row.getByRole('link', { name: 'pg15-main' }).click();
    await page.waitForURL(/\/databases\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'pg15-main' }).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('database-settings').innerText()).toContain('disable');
    await page
      .getByTestId('backup-history')
      .getByText(/^No backups yet/)
      .waitFor({ timeout: 20_000 });

    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByTestId('database-test-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('database-test-result-message').innerText()).toMatch(
      /^Connected to PostgreSQL 15\.\d+; pg_dump 15\.\d+ will be used, compressing with gzip level 6$/,
    );
    expect(await page.getByTestId('database-server-version').innerText()).toMatch(/^PostgreSQL 15\.\d+$/);
    expect(await page.getByTestId('database-pg-dump-path').innerText()).toBe('/usr/lib/postgresql/15/bin/pg_dump');
    await page.screenshot({ path: join(SCREENSHOTS, 'database-detail.png'), fullPage: true });
  });

  it('edits the database: a blank password field keeps the saved password', async () => {
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit pg15-main' });
    expect(await dialog.getByLabel(/^Password/).inputValue()).toBe('');
    expect(await dialog.getByLabel(/^Password/).getAttribute('placeholder')).toMatch(/A password is saved/);
    await dialog.getByLabel(/^Schedule/).fill('30 2 * * 1');
    await dialog.getByRole('button', { name: 'Save database' }).click();
    await closed(page, dialog);
    const settings = page.getByTestId('database-settings');
    await settings.getByText('30 2 * * 1').waitFor({ timeout: 10_000 });
    expect(await settings.innerText()).toContain('Saved (hidden)');

    // The connection still works with the stored password.
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page
      .getByTestId('database-test-result-message')
      .getByText(/^Connected to PostgreSQL 15/)
      .waitFor();
  });

  it('refuses, in words, to delete a storage that a database uses', async () => {
    await openFromNavigation(page, stack, 'Storage', '/storage');
    await page.getByTestId('storage-row-local-disk').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Delete local-disk' }).click();
    await page.getByRole('dialog', { name: 'Delete local-disk?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Could not delete the storage').waitFor({ timeout: 10_000 });
    expect(await page.getByRole('alert').filter({ hasText: 'Could not delete the storage' }).innerText()).toContain(
      'This storage is used by 1 database(s)',
    );
    expect(await page.getByTestId('storage-row-local-disk').isVisible()).toBe(true);
  });
});
