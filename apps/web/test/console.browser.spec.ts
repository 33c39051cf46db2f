import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, signIn, startConsoleStack, type ConsoleStack } from './support';

// The built console (next start) against a real API on a real PostgreSQL, in Debian's Chromium.
describe('console in Chromium', () => {
  let stack: ConsoleStack;
  let page: Page;

  beforeAll(async () => {
    stack = await startConsoleStack();
    page = stack.page;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('shows the API healthy with its database up', async () => {
    // The console needs a session: sign in as the instance admin first.
    await signIn(page, stack);
    await page.goto(stack.webUrl);
    await page.getByTestId('health-card').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('health-database').innerText()).toMatch(/up/i);
    expect(await page.getByTestId('health-status').innerText()).toMatch(/operational/i);
    expect(await page.getByTestId('health-version').innerText()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(await page.getByRole('navigation', { name: 'Main navigation' }).getByText('Databases').isVisible()).toBe(
      true,
    );
    // The dashboard's counters of a fresh instance (no database, no backup, nothing stored).
    await page.getByTestId('stat-cards').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('stat-databases-value').innerText()).toBe('0');
    expect(await page.getByTestId('stat-backups-24h-value').innerText()).toBe('0');
    expect(await page.getByTestId('stat-storage-value').innerText()).toBe('0 B');
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-healthy.png'), fullPage: true });
  });

  it('says the API is unreachable when it is down, instead of spinning forever', async () => {
    await stack.api.stop();
    await page.reload();
    await page.getByTestId('health-unreachable').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('health-unreachable').innerText()).toMatch(/unreachable/i);
    // The dashboard says it could not load, rather than keep its placeholders.
    await page.getByRole('alert').filter({ hasText: 'Could not load the dashboard' }).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-api-down.png'), fullPage: true });
  });
});
