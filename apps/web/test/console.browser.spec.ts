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
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-healthy.png'), fullPage: true });
  });

  it('says the API is unreachable when it is down, instead of spinning forever', async () => {
    await stack.api.stop();
    await page.reload();
    await page.getByTestId('health-unreachable').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('health-unreachable').innerText()).toMatch(/unreachable/i);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-api-down.png'), fullPage: true });
  });
});
