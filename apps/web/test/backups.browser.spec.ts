import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
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

const SOURCE_DB = 'shop';
const RESTORED_DB = 'restored';
const ROWS_SQL = 'SELECT id, name, price::text AS price, tags FROM items ORDER BY id';

// A database on a real PostgreSQL 15 backed up from the console in Chromium into local storage,
// verified, downloaded and restored into a new database on the same server; the restored rows are
// then read back with pg.
describe('backups and restores in Chromium', () => {
  const env = setUpConsoleWithPostgres('backups', async (pg15) => {
    await pg15.createDatabase(SOURCE_DB);
    await withPg(pg15.urlFor(SOURCE_DB), async (client) => {
      await client.query(
        'CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price numeric(8,2), tags text[])',
      );
      await client.query(
        `INSERT INTO items VALUES
           (1, 'anvil', 120.50, '{heavy,iron}'),
           (2, 'rope', 9.99, '{}'),
           (3, 'lantern', 24.00, NULL),
           (4, 'café crème', 3.20, '{"with space","quote''s"}')`,
      );
    });
  });
  let stack: ConsoleStack;
  let page: Page;
  let pg15: RunningPostgres;
  /** The name the API gave the backup. */
  let backupName: string;
  /** The SHA-256 of its stored object, as the details drawer shows it. */
  let objectSha256: string;

  beforeAll(() => {
    ({ stack, page, pg15 } = env);
  });

  function backupRow(): Locator {
    return page.getByTestId(`backup-row-${backupName}`);
  }

  it('adds a local storage and the database, and opens its page with an empty history', async () => {
    await openFromNavigation(page, stack, 'Storage', '/storage');
    await page.getByText('No storage yet').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Add storage' }).click();
    const storageDialog = page.getByRole('dialog', { name: 'Add storage' });
    await storageDialog.getByLabel(/^Name/).fill('local-disk');
    await storageDialog.getByText('Local disk').click();
    await storageDialog.getByRole('button', { name: 'Add storage' }).click();
    await closed(page, storageDialog);
    await page.getByTestId('storage-row-local-disk').waitFor({ timeout: 10_000 });

    await openFromNavigation(page, stack, 'Databases', '/databases');
    await page.getByText('No databases yet').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Add database' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a database' });
    await dialog.getByLabel(/^Name/).fill('shop-pg15');
    await dialog.getByLabel(/^Host/).fill(pg15.host);
    await dialog.getByLabel(/^Port/).fill(String(pg15.port));
    await dialog.getByLabel(/^Database name/).fill(SOURCE_DB);
    await dialog.getByLabel(/^Username/).fill(pg15.user);
    await dialog.getByLabel(/^Password/).fill(pg15.password);
    await pick(page, dialog, /^SSL mode/, 'disable');
    await dialog.getByRole('button', { name: 'Add database' }).click();
    await closed(page, dialog);

    const row = page.getByTestId('database-row-shop-pg15');
    await row.waitFor({ timeout: 10_000 });
    await row.getByRole('link', { name: 'shop-pg15' }).click();
    await page.waitForURL(/\/databases\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'shop-pg15' }).waitFor({ timeout: 20_000 });
    await page
      .getByTestId('backup-history')
      .getByText(/^No backups yet/)
      .waitFor({ timeout: 20_000 });
    await page
      .getByTestId('restore-history')
      .getByText(/^No restores yet/)
      .waitFor({ timeout: 20_000 });
  });

  it('backs up now: the row goes from pending to success, with a size and checksums', async () => {
    await page.getByRole('button', { name: 'Back up now' }).click();
    const row = page.locator('[data-testid^="backup-row-"]');
    await row.first().waitFor({ timeout: 20_000 });
    expect(await row.count()).toBe(1);
    backupName = ((await row.getAttribute('data-testid')) ?? '').replace(/^backup-row-/, '');
    expect(backupName).not.toBe('');

    await page.locator(`[data-testid="backup-row-${backupName}"][data-status="success"]`).waitFor({ timeout: 60_000 });
    expect(await backupRow().getByTestId('backup-status').getAttribute('data-status')).toBe('success');
    // IEC units (what is divided by 1024), the exact count on hover.
    const size = backupRow().getByTestId('backup-size');
    expect(await size.innerText()).toMatch(/^\d+(\.\d)? (B|KiB|MiB)$/);
    expect(await size.getAttribute('title')).toMatch(/^\d{1,3}(,\d{3})* bytes$/);
    expect(await backupRow().innerText()).toMatch(/Manual/);
    expect(await page.getByTestId('backup-count').innerText()).toBe('1 backup');
    // No longer running: the database's “last backup” is filled in.
    await page.getByTestId('database-settings').getByText('Never').waitFor({ state: 'detached', timeout: 10_000 });
    // Nothing runs any more: the list is no longer polled.
    const polls: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (/\/api\/v1\/databases\/[^/]+\/backups/.test(request.url())) polls.push(request.url());
    };
    page.on('request', onRequest);
    await page.waitForTimeout(3_000);
    page.off('request', onRequest);
    expect(polls).toEqual([]);
    await page.getByTestId('backup-history').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'backups.png') });

    // The details: both digests, the versions, no warnings and no error.
    await backupRow().getByRole('button', { name: backupName, exact: true }).click();
    const drawer = page.getByRole('dialog', { name: `Backup ${backupName}` });
    await drawer.getByTestId('backup-details').waitFor({ timeout: 10_000 });
    expect(await drawer.getByTestId('backup-sha256').innerText()).toMatch(/^[0-9a-f]{64}$/);
    objectSha256 = await drawer.getByTestId('backup-object-sha256').innerText();
    expect(objectSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await drawer.innerText()).toMatch(/15\.\d+/);
    expect(await drawer.getByTestId('backup-warnings').innerText()).toBe('None');
    expect(await drawer.getByTestId('backup-error').count()).toBe(0);
    await page.waitForTimeout(500); // the drawer's slide-in, for the screenshot
    await page.screenshot({ path: join(SCREENSHOTS, 'backup-details.png') });
    await page.keyboard.press('Escape');
    await closed(page, drawer);
  });

  it('verifies the backup: the checksums match', async () => {
    await page.getByRole('button', { name: `Verify ${backupName}` }).click();
    const result = page.getByTestId('backup-verify-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('backup-verify-result-message').innerText()).toMatch(/^Checksums match/);
  });

  it('downloads the stored object natively from a short-lived link: the saved file is the stored object', async () => {
    const requests: string[] = [];
    const onRequest = (request: { url(): string }) => requests.push(request.url());
    page.on('request', onRequest);
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 30_000 }),
      page.getByRole('button', { name: `Download ${backupName}` }).click(),
    ]);
    // Chromium itself fetched the link (no blob: URL made by the page), and saved the file to disk.
    expect(download.url()).toMatch(
      new RegExp(`^${stack.webUrl}/api/v1/backups/[0-9a-f-]{36}/file\\?token=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`),
    );
    expect(download.suggestedFilename()).toBe(`${backupName}.dump`);
    const bytes = await readFile(await download.path());
    page.off('request', onRequest);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('PGDMP');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(objectSha256);
    // The page only asked for the link; it never fetched the object into its own memory.
    expect(requests.filter((url) => /\/download-link$/.test(url))).toHaveLength(1);
    expect(requests.filter((url) => /\/backups\/[^/]+\/download$/.test(url))).toEqual([]);
    expect(await page.getByText('Could not download the backup').count()).toBe(0);

    // Through the console's /api proxy the answer keeps its Content-Length (the browser's progress
    // knows the total) and streams the same bytes.
    const session = (await storedSession(page))!;
    const id = /\/backups\/([0-9a-f-]{36})\/file/.exec(download.url())![1];
    const created = await fetch(`${stack.webUrl}/api/v1/backups/${id}/download-link`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    expect(created.status).toBe(201);
    const viaConsole = await fetch(`${stack.webUrl}${((await created.json()) as { url: string }).url}`);
    expect(viaConsole.status).toBe(200);
    expect(viaConsole.headers.get('content-length')).toBe(String(bytes.length));
    expect(viaConsole.headers.get('content-disposition')).toBe(`attachment; filename="${backupName}.dump"`);
    expect(
      createHash('sha256')
        .update(Buffer.from(await viaConsole.arrayBuffer()))
        .digest('hex'),
    ).toBe(objectSha256);
  });

  it('restores into a new database on the same server after the name is typed, and follows it to success', async () => {
    await page.getByRole('button', { name: `Restore ${backupName}` }).click();
    const dialog = page.getByRole('dialog', { name: `Restore ${backupName}` });
    await dialog.waitFor({ timeout: 10_000 });
    const restore = dialog.getByRole('button', { name: 'Restore', exact: true });
    expect(await restore.isDisabled()).toBe(true);

    await dialog.getByLabel('Into another database').check();
    expect(await dialog.getByLabel(/^Host/).inputValue()).toBe(pg15.host);
    expect(await dialog.getByLabel(/^Username/).inputValue()).toBe(pg15.user);
    await dialog.getByLabel(/^Database name/).fill(RESTORED_DB);
    await dialog.getByLabel(/^Password/).fill(pg15.password);
    await pick(page, dialog, /^SSL mode/, 'disable');
    await dialog.getByLabel('Create the database first').check();

    // Only the exact name enables the button.
    const confirmation = dialog.getByLabel(/to confirm/);
    await confirmation.fill('restore');
    expect(await restore.isDisabled()).toBe(true);
    await confirmation.fill(RESTORED_DB);
    expect(await restore.isDisabled()).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, 'restore-dialog.png') });

    await restore.click();
    const status = dialog.getByTestId('restore-status');
    await status.waitFor({ timeout: 10_000 });
    await dialog.locator('[data-testid="restore-status"][data-status="success"]').waitFor({ timeout: 60_000 });
    expect(await dialog.getByText('Restore finished').isVisible()).toBe(true);
    expect(await dialog.getByTestId('restore-error').count()).toBe(0);
    // Into a database it created: straight in (dropped again had it failed).
    expect(await dialog.getByTestId('restore-strategy').getAttribute('data-strategy')).toBe('direct');
    await page.screenshot({ path: join(SCREENSHOTS, 'restore-done.png') });

    const source = await withPg(pg15.urlFor(SOURCE_DB), async (client) => (await client.query(ROWS_SQL)).rows);
    const restored = await withPg(pg15.urlFor(RESTORED_DB), async (client) => (await client.query(ROWS_SQL)).rows);
    expect(source).toHaveLength(4);
    expect(restored).toEqual(source);

    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await closed(page, dialog);
  });

  it('shows a failed restore with its reason in full: the database to create already exists', async () => {
    await page.getByRole('button', { name: `Restore ${backupName}` }).click();
    const dialog = page.getByRole('dialog', { name: `Restore ${backupName}` });
    await dialog.getByLabel('Into another database').check();
    await dialog.getByLabel(/^Database name/).fill(RESTORED_DB);
    await dialog.getByLabel(/^Password/).fill(pg15.password);
    await pick(page, dialog, /^SSL mode/, 'disable');
    await dialog.getByLabel('Create the database first').check();
    await dialog.getByLabel(/to confirm/).fill(RESTORED_DB);
    await dialog.getByRole('button', { name: 'Restore', exact: true }).click();

    await dialog.locator('[data-testid="restore-status"][data-status="failed"]').waitFor({ timeout: 60_000 });
    expect(await dialog.getByTestId('restore-error').innerText()).toMatch(
      /^Cannot create database "restored": .*already exists/,
    );
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await closed(page, dialog);
  });

  it('lists both restores in the restore history, newest first, with target and outcome, filtered by status', async () => {
    const history = page.getByTestId('restore-history');
    await history
      .getByTestId('restore-count')
      .filter({ hasText: /^2 restores$/ })
      .waitFor({ timeout: 10_000 });
    const rows = history.locator('[data-testid^="restore-row-"]');
    // The list polls while a restore runs: wait for the one that just failed to read failed there too.
    await history.locator('[data-testid^="restore-row-"][data-status="failed"]').waitFor({ timeout: 10_000 });
    expect(await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-status')))).toEqual([
      'failed',
      'success',
    ]);
    const first = rows.first();
    expect(await first.getByTestId('restore-target').innerText()).toBe(`${RESTORED_DB} on ${pg15.host}:${pg15.port}`);
    expect(await first.innerText()).toContain(backupName);
    await history.screenshot({ path: join(SCREENSHOTS, 'restore-history.png') });

    await pick(page, history, /^Restore status$/, 'Success');
    await history
      .getByTestId('restore-count')
      .filter({ hasText: /^1 success restore$/ })
      .waitFor({ timeout: 10_000 });
    expect(await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-status')))).toEqual(['success']);
  });

  it('deletes the backup after confirmation', async () => {
    await page.getByRole('button', { name: `Delete ${backupName}` }).click();
    await page
      .getByRole('dialog', { name: `Delete ${backupName}?` })
      .getByRole('button', { name: 'Delete' })
      .click();
    await backupRow().waitFor({ state: 'detached', timeout: 10_000 });
    await page
      .getByTestId('backup-history')
      .getByText(/^No backups yet/)
      .waitFor({ timeout: 10_000 });
  });

  it('says what a running backup waits for before its first byte, with its running time; nothing once it has ended', async () => {
    await withPg(pg15.urlFor(SOURCE_DB), async (locker) => {
      // pg_dump cannot read items while this lock is held: the backup runs without a byte.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE items IN ACCESS EXCLUSIVE MODE');
      try {
        await page.getByRole('button', { name: 'Back up now' }).click();
        const running = page.locator('[data-testid^="backup-row-"][data-status="running"]');
        await running.waitFor({ timeout: 20_000 });
        const progress = running.getByTestId('backup-progress');
        await progress.waitFor({ timeout: 10_000 });
        expect(await progress.getAttribute('data-phase')).toBe('waiting');
        expect(await progress.getByTestId('backup-progress-phase').innerText()).toBe('waiting for pg_dump…');
        // Its running time, counting up; no bytes, no "0 B".
        await progress
          .getByTestId('backup-progress-timing')
          .getByText(/elapsed$/)
          .waitFor({ timeout: 5_000 });
        expect(await running.innerText()).not.toMatch(/\b0 B\b/);
        await running.scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SCREENSHOTS, 'backup-waiting-for-pg_dump.png') });
      } finally {
        await locker.query('COMMIT');
      }
    });
    await page.locator('[data-testid^="backup-row-"][data-status="success"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid^="backup-row-"] [data-testid="backup-progress"]').count()).toBe(0);
  });
});
