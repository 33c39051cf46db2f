import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { SCREENSHOTS, closed, openFromNavigation, pick, setUpConsoleWithPostgres, storedSession } from './support';

// Issue 15 in Chromium: a form with every field wrong shows worded errors under each field, a
// summary on top and focuses the first; "Test" checks unsaved storage and database settings
// (nothing saved); a pasted postgresql:// string fills the connection fields.
describe('forms in Chromium', () => {
  const env = setUpConsoleWithPostgres('forms');

  async function errorUnder(input: Locator): Promise<string> {
    const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(/\s+/).find((id) => id.endsWith('-error'));
    expect(errorId).toBeDefined();
    return env.page.locator(`[id="${errorId}"]`).innerText();
  }

  it('tests an unsaved local storage before adding it, and saves nothing until asked', async () => {
    const { page, stack } = env;
    await openFromNavigation(page, stack, 'Storage', '/storage');
    await page.getByRole('button', { name: 'Add storage' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add storage' });
    await dialog.getByLabel(/^Name/).fill('disk');
    await dialog.getByText('Local disk').click();
    await dialog.getByRole('button', { name: 'Test' }).click();
    const result = dialog.getByTestId('form-test-result');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.innerText()).toContain('Test passed: nothing saved yet');
    expect(await result.innerText()).toContain('Wrote, read back and deleted a probe object');
    await page.screenshot({ path: join(SCREENSHOTS, 'storage-form-test.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await closed(page, dialog);
    // Nothing was saved by the test.
    const session = (await storedSession(page))!;
    const response = await fetch(`${stack.api.url}/api/v1/storage`, {
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    const listed = ((await response.json()) as { total: number }).total;
    expect(listed).toBe(0);

    await page.getByRole('button', { name: 'Add storage' }).click();
    await dialog.getByLabel(/^Name/).fill('disk');
    await dialog.getByText('Local disk').click();
    await dialog.getByRole('button', { name: 'Add storage' }).click();
    await closed(page, dialog);
    // Its usage, from the stats: nothing kept there yet.
    const row = page.getByTestId('storage-row-disk');
    await row.getByText('0 backups').waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toContain('0 B');
  });

  it('tells two webhooks apart by the end of their id', async () => {
    const { page, stack } = env;
    const session = (await storedSession(page))!;
    const ids = ['111111111111111111', '222222222222229876'];
    for (const [i, id] of ids.entries()) {
      const response = await fetch(`${stack.api.url}/api/v1/notifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.accessToken}` },
        body: JSON.stringify({
          name: `hook-${i}`,
          discord_webhook_url: `https://discord.com/api/webhooks/${id}/secret-token-${i}`,
        }),
      });
      expect(response.status).toBe(201);
    }
    await openFromNavigation(page, stack, 'Notifications', '/notifications');
    await page.getByTestId('notification-row-hook-1').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('notification-row-hook-0').innerText()).toContain('Discord webhook …1111');
    expect(await page.getByTestId('notification-row-hook-1').innerText()).toContain('Discord webhook …9876');
    expect(await page.content()).not.toContain('secret-token');
  });

  it('words every wrong database field under its label, sums them up and focuses the first', async () => {
    const { page, stack } = env;
    await openFromNavigation(page, stack, 'Databases', '/databases');
    await page.getByRole('button', { name: 'Add database' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a database' });
    await dialog.getByLabel(/^Name/).fill('all-wrong');
    await dialog.getByLabel(/^Host/).fill('not a host');
    await dialog.getByLabel(/^Port/).fill('70000');
    await dialog.getByLabel(/^Username/).fill('');
    await dialog.getByRole('button', { name: 'Add database' }).click();

    await dialog.getByText('Port must be 65535 or less.').waitFor({ timeout: 10_000 });
    // Refused, not clamped: the field still says what was typed.
    expect(await dialog.getByLabel(/^Port/).inputValue()).toBe('70000');
    expect(await errorUnder(dialog.getByLabel(/^Host/))).toBe('Host must be a host name or IP address.');
    expect(await errorUnder(dialog.getByLabel(/^Database name/))).toBe('Database name is required.');
    expect(await errorUnder(dialog.getByLabel(/^Username/))).toBe('Username is required.');
    const summary = await dialog.getByRole('alert').first().innerText();
    expect(summary).toMatch(/^\d+ fields need a look: Host, Port, Database name, Username/);
    expect(summary).not.toMatch(/dbname|storage_id|_id\b/);
    expect(await dialog.getByLabel(/^Host/).evaluate((input) => input === document.activeElement)).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'database-form-errors.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await closed(page, dialog);
  });

  it('fills the connection from a pasted postgresql:// string and tests it before saving', async () => {
    const { page, pg15 } = env;
    await page.getByRole('button', { name: 'Add database' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a database' });
    await dialog.getByLabel(/^Name/).fill('pasted');
    const pasted = `postgresql://${pg15.user}:wrong-password@${pg15.host}:${pg15.port}/postgres?sslmode=disable`;
    await dialog.getByLabel(/^Host/).evaluate((input, text) => {
      const data = new DataTransfer();
      data.setData('text', text);
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, pasted);
    expect(await dialog.getByLabel(/^Host/).inputValue()).toBe(pg15.host);
    expect(await dialog.getByLabel(/^Port/).inputValue()).toBe(String(pg15.port));
    expect(await dialog.getByLabel(/^Database name/).inputValue()).toBe('postgres');
    expect(await dialog.getByLabel(/^Username/).inputValue()).toBe(pg15.user);
    expect(await dialog.getByLabel(/^Password/).inputValue()).toBe('wrong-password');

    await dialog.getByRole('button', { name: 'Test' }).click();
    const result = dialog.getByTestId('form-test-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getAttribute('data-ok')).toBe('false');
    expect(await result.innerText()).toContain('Test failed: nothing saved');

    await dialog.getByLabel(/^Password/).fill(pg15.password);
    await dialog.getByRole('button', { name: 'Test' }).click();
    await dialog.locator('[data-testid="form-test-result"][data-ok="true"]').waitFor({ timeout: 30_000 });
    expect(await result.innerText()).toMatch(
      /Connected to PostgreSQL 15\.\d+; pg_dump 15\.\d+ will be used, compressing with gzip level 6/,
    );

    // zstd needs pg_dump 16: the test says so before anything is saved.
    await pick(page, dialog, /^Compression$/, /^zstd/);
    await dialog.getByRole('button', { name: 'Test' }).click();
    await dialog.locator('[data-testid="form-test-result"][data-ok="false"]').waitFor({ timeout: 30_000 });
    expect(await result.innerText()).toContain('zstd compression needs pg_dump 16 or newer');
    await page.screenshot({ path: join(SCREENSHOTS, 'database-form-test.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await closed(page, dialog);
  });
});
