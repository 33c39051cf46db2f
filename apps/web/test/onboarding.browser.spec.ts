import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import {
  ADMIN_WEBHOOK_PATH,
  SCREENSHOTS,
  closed,
  openFromNavigation,
  signIn,
  startConsoleStack,
  storedSession,
  withPg,
  type ConsoleStack,
} from './support';

// Issue 15 in Chromium: the overview's first-run checklist ticked from real data, a toast after
// each change, the activity log by names (linked while the resource exists) and its filters, the
// instance admin's Tenants page (not shown to others), the tenant switcher on a phone, and the
// sign-in page's hint on a development install without Discord.
describe('first run, toasts, activity, tenants in Chromium', () => {
  let stack: ConsoleStack;
  let page: Page;
  let olive: Page;
  let pg15: RunningPostgres;
  let storageRoot: string;
  const pageErrors: string[] = [];
  const ids: Record<string, string> = {};

  async function api<T>(on: Page, method: string, path: string, body?: unknown): Promise<T> {
    const token = (await storedSession(on))!.accessToken;
    const response = await fetch(`${stack.api.url}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (response.status === 204 ? null : await response.json()) as T;
  }

  /** The checklist's steps and whether each is done, e.g. { storage: true, database: false, … }. */
  async function steps(): Promise<Record<string, boolean>> {
    const items = await page.getByTestId('first-run-step').all();
    const entries = await Promise.all(
      items.map(async (item) => [
        await item.getAttribute('data-step'),
        (await item.getAttribute('data-done')) === 'true',
      ]),
    );
    return Object.fromEntries(entries);
  }
  async function overviewWith(done: number): Promise<Record<string, boolean>> {
    await page.goto(`${stack.webUrl}/`);
    await page.getByTestId('first-run-progress').getByText(`${done} of 4 done`).waitFor({ timeout: 20_000 });
    return steps();
  }
  async function toastSaying(on: Page, title: string): Promise<Locator> {
    const toast = on.getByTestId('toast').filter({ hasText: title });
    await toast.first().waitFor({ timeout: 15_000 });
    return toast.first();
  }
  async function pickOption(label: string, option: string) {
    await page.getByRole('textbox', { name: label, exact: true }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }
  const rows = () => page.getByTestId('activity-row');
  async function activityCount(): Promise<number> {
    const text = await page.getByTestId('activity-count').innerText();
    return Number.parseInt(text, 10);
  }
  /** Waits until every listed row satisfies `attribute` = `value` (the list has refetched). */
  async function allRows(attribute: string, value: string) {
    await page.waitForFunction(
      ([name, expected]) => {
        const all = [...document.querySelectorAll('[data-testid="activity-row"]')];
        return all.length > 0 && all.every((row) => row.getAttribute(name) === expected);
      },
      [attribute, value],
      { timeout: 20_000 },
    );
  }

  beforeAll(async () => {
    storageRoot = await mkdtemp(join(tmpdir(), 'dumpstation-web-onboarding-'));
    pg15 = await startPostgres({ major: 15 });
    await pg15.createDatabase('shop');
    await withPg(pg15.urlFor('shop'), async (client) => {
      await client.query('CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL)');
      await client.query("INSERT INTO items VALUES (1, 'anvil')");
    });
    // Members' codes go to the same stand-in webhook as the admin's (told apart by username).
    stack = await startConsoleStack({
      apiEnv: {
        STORAGE_LOCAL_ROOT: storageRoot,
        DISCORD_DEFAULT_WEBHOOK_URL: `https://discord.com/api${ADMIN_WEBHOOK_PATH}`,
      },
    });
    page = stack.page;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(page, stack);
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    await stack?.stop();
    await pg15?.stop();
    if (storageRoot) await rm(storageRoot, { recursive: true, force: true });
  });

  it('ticks the first-run steps as storage, a database, a backup and a schedule are added, then goes away', async () => {
    expect(await overviewWith(0)).toEqual({ storage: false, database: false, backup: false, schedule: false });
    const checklist = page.getByTestId('first-run');
    // Only the first step can be done yet.
    expect(await checklist.getByRole('link').allInnerTexts()).toEqual(['Add a storage']);
    await page.screenshot({ path: join(SCREENSHOTS, 'first-run-0.png') });

    // Storage, added in the page: a toast says it was saved.
    await checklist.getByRole('link', { name: 'Add a storage' }).click();
    await page.waitForURL(`${stack.webUrl}/storage`);
    await page.getByRole('button', { name: 'Add storage' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add storage' });
    await dialog.getByLabel(/^Name/).fill('disk');
    await dialog.getByText('Local disk').click();
    await dialog.getByRole('button', { name: 'Add storage' }).click();
    await closed(page, dialog);
    const toast = await toastSaying(page, 'Storage saved');
    expect(await toast.innerText()).toContain('“disk” was added.');
    expect(await toast.getAttribute('data-color')).toBe('teal');
    await page.screenshot({ path: join(SCREENSHOTS, 'toast-storage-saved.png') });
    await toast.getByRole('button', { name: 'Dismiss' }).click();
    ids.storage = (await api<{ items: { id: string }[] }>(page, 'GET', '/storage')).items[0].id;

    expect(await overviewWith(1)).toEqual({ storage: true, database: false, backup: false, schedule: false });
    expect(await checklist.getByRole('link').allInnerTexts()).toEqual(['Add a database']);

    const database = await api<{ id: string }>(page, 'POST', '/databases', {
      name: 'shop',
      host: pg15.host,
      port: pg15.port,
      dbname: 'shop',
      user: pg15.user,
      password: pg15.password,
      sslmode: 'disable',
      storage_id: ids.storage,
    });
    ids.shop = database.id;
    expect(await overviewWith(2)).toEqual({ storage: true, database: true, backup: false, schedule: false });
    const backUp = checklist.getByRole('link', { name: 'Back up shop' });
    expect(await backUp.getAttribute('href')).toBe(`/databases/${ids.shop}`);

    // The first backup, from the database page the checklist links to.
    await backUp.click();
    await page.waitForURL(`${stack.webUrl}/databases/${ids.shop}`);
    await page.getByRole('button', { name: 'Back up now' }).click();
    await (await toastSaying(page, 'Backup finished')).waitFor({ timeout: 60_000 });
    expect(await overviewWith(3)).toEqual({ storage: true, database: true, backup: true, schedule: false });
    await page.screenshot({ path: join(SCREENSHOTS, 'first-run-3.png') });

    await api(page, 'PATCH', `/databases/${ids.shop}`, { schedule: '0 3 * * *' });
    await page.goto(`${stack.webUrl}/`);
    // The dashboard shows once the stats have arrived, which the checklist reads too: it is gone.
    await page.getByTestId('dashboard').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('first-run').count()).toBe(0);
  });

  it('names the resource and the user in the activity log, links what exists, and filters by user and resource', async () => {
    // olive, an admin of the tenant, adds a notification and deletes it again.
    await api(page, 'POST', '/members', { username: 'olive', email: 'olive@example.com', role: 'admin' });
    olive = await stack.browser.newPage({ viewport: { width: 1280, height: 800 } });
    olive.on('pageerror', (error) => pageErrors.push(error.message));
    // With Discord configured, the sign-in page has no word about the API's log.
    const health = olive.waitForResponse((response) => response.url().includes('/api/v1/health'));
    await olive.goto(`${stack.webUrl}/login`);
    expect(await (await health).json()).not.toHaveProperty('sign_in_code_delivery');
    await olive.getByLabel('Username or email').waitFor();
    expect(await olive.getByTestId('dev-code-hint').count()).toBe(0);
    await signIn(olive, stack, 'olive');
    const hook = await api<{ id: string }>(olive, 'POST', '/notifications', {
      name: 'olive-alerts',
      discord_webhook_url: 'https://discord.com/api/webhooks/223456789012345678/olive-token',
    });
    await api(olive, 'DELETE', `/notifications/${hook.id}`);

    await openFromNavigation(page, stack, 'Activity', '/activity');
    const created = rows().and(page.locator('[data-event="database.create"]'));
    await created.waitFor({ timeout: 20_000 });
    // The database by its name, a link to its page; the user by name.
    const link = created.getByTestId('activity-resource').getByRole('link', { name: 'shop' });
    expect(await link.getAttribute('href')).toBe(`/databases/${ids.shop}`);
    expect(await created.getAttribute('data-user')).toBe('admin');
    expect(await created.innerText()).toContain('admin');
    expect(await created.innerText()).not.toMatch(/[0-9a-f]{8}/);
    // A backup links to the backups list searched by its name.
    const backup = rows().and(page.locator('[data-event="backup.finish"]')).first();
    expect(await backup.getByRole('link').getAttribute('href')).toMatch(
      /^\/backups\?search=[a-z]+-[a-z]+-\d{8}-\d{6}$/,
    );
    // A deleted notification: its name, no link.
    const gone = rows().and(page.locator('[data-event="notification.create"]'));
    expect(await gone.getByTestId('activity-resource').innerText()).toContain('olive-alerts');
    expect(await gone.getByTestId('activity-resource').getByRole('link').count()).toBe(0);
    expect(await gone.getAttribute('data-user')).toBe('olive');
    // An invitation by the user it invites, not an id.
    const invited = rows().and(page.locator('[data-event="invitation.create"]'));
    expect(await invited.getByTestId('activity-resource').innerText()).toMatch(/^Invitation of\s+olive$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'activity-names.png') });

    const everything = await activityCount();
    await pickOption('User', 'olive');
    await page.waitForURL(/[?&]user=/);
    await allRows('data-user', 'olive');
    const byOlive = await activityCount();
    expect(byOlive).toBeLessThan(everything);
    expect(byOlive).toBeGreaterThanOrEqual(3); // her sign-in, the notification's creation and deletion

    // Narrowed by resource too: olive's notification entries only.
    await pickOption('Resource type', 'Notifications');
    await page.waitForURL(/[?&]resource=Notification/);
    await allRows('data-resource-type', 'Notification');
    await allRows('data-user', 'olive');
    expect(await activityCount()).toBe(2);

    // The user filter cleared: every notification entry (the same two: admin made none).
    await page.goto(`${stack.webUrl}/activity?resource=Database`);
    await allRows('data-resource-type', 'Database');
    expect(await activityCount()).toBeLessThan(everything);
    // The search, by a resource's name.
    await page.goto(`${stack.webUrl}/activity`);
    await rows().first().waitFor({ timeout: 20_000 });
    await page.getByRole('textbox', { name: 'Search', exact: true }).fill('olive-alerts');
    await page.waitForURL(/[?&]search=olive-alerts/);
    await allRows('data-resource-type', 'Notification');
    expect(await activityCount()).toBe(2);
    // The days: from tomorrow on, nothing yet.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.goto(`${stack.webUrl}/activity?from=${tomorrow}`);
    await page.getByText('Nothing recorded that matches these filters.').waitFor({ timeout: 20_000 });
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe(tomorrow);
    expect(await page.getByLabel('To', { exact: true }).count()).toBe(1);
    // And the category (What).
    await page.goto(`${stack.webUrl}/activity?action=Delete`);
    await allRows('data-event', 'notification.delete');
  });

  it('lets the instance admin create and rename tenants under Settings, with toasts; others do not see it', async () => {
    await openFromNavigation(page, stack, 'Tenants', '/settings/tenants');
    await page.getByTestId('tenants-table').waitFor({ timeout: 20_000 });
    await page.getByRole('textbox', { name: 'Name' }).fill('Acme');
    // The slug follows the name.
    expect(await page.getByRole('textbox', { name: 'Slug' }).inputValue()).toBe('acme');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    expect(await (await toastSaying(page, 'Tenant created')).innerText()).toContain('“Acme” was created');
    const acme = page.locator('[data-testid="tenant-row"][data-slug="acme"]');
    await acme.waitFor({ timeout: 10_000 });

    // A taken slug is refused, under its field.
    await page.getByRole('textbox', { name: 'Name' }).fill('Default again');
    await page.getByRole('textbox', { name: 'Slug' }).fill('acme');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    await page.getByText('slug is taken', { exact: false }).first().waitFor({ timeout: 10_000 });

    await acme.getByRole('button', { name: 'Rename Acme' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename Acme' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Acme Corp');
    await dialog.getByRole('textbox', { name: 'Slug' }).fill('acme-corp');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await closed(page, dialog);
    expect(await (await toastSaying(page, 'Tenant renamed')).innerText()).toContain('“Acme Corp” (acme-corp)');
    const renamed = page.locator('[data-testid="tenant-row"][data-slug="acme-corp"]');
    await renamed.waitFor({ timeout: 10_000 });
    expect(await renamed.innerText()).toContain('Acme Corp');
    await page.screenshot({ path: join(SCREENSHOTS, 'tenants.png') });

    // olive is an admin of the tenant, not of the instance: no Tenants link, and the page says why.
    await olive.goto(`${stack.webUrl}/`);
    const nav = olive.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Members' }).waitFor({ timeout: 20_000 });
    expect(await nav.getByRole('link', { name: 'Tenants' }).count()).toBe(0);
    await olive.goto(`${stack.webUrl}/settings/tenants`);
    await olive.getByText('Only for instance admins').waitFor({ timeout: 20_000 });
    expect(await olive.getByTestId('tenants-table').count()).toBe(0);
  });

  it('reaches the tenant switcher on a phone (390×844), in the navigation drawer', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${stack.webUrl}/`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('tenant-switcher').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    const switcher = page.getByTestId('tenant-switcher-phone');
    await switcher.waitFor({ state: 'visible', timeout: 10_000 });
    // Within the screen once the drawer has slid in.
    await page.waitForFunction(
      () => {
        const box = document.querySelector('[data-testid="tenant-switcher-phone"]')!.getBoundingClientRect();
        return box.left >= 0 && box.right <= 390 && box.width > 100;
      },
      undefined,
      { timeout: 10_000 },
    );
    expect(await switcher.inputValue()).toBe('Default');
    await page.screenshot({ path: join(SCREENSHOTS, 'tenant-switcher-phone.png') });
    await switcher.click();
    await page.getByRole('option', { name: 'Acme Corp' }).click();
    await page.waitForFunction(
      () => JSON.parse(window.localStorage.getItem('dumpstation.session') ?? '{}').tenant?.name === 'Acme Corp',
      undefined,
      { timeout: 20_000 },
    );
    // The drawer closed; opened again, it shows the tenant now in use.
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    await switcher.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await switcher.inputValue()).toBe('Acme Corp');
    // No sideways scrolling on the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});

// Outside production with no Discord at all, codes go to the API log: the sign-in page says so.
describe('the sign-in page of a development install without Discord', () => {
  let stack: ConsoleStack;

  beforeAll(async () => {
    stack = await startConsoleStack({ apiEnv: { SYSTEM_DISCORD_WEBHOOK_URL: undefined } });
  });
  afterAll(() => stack?.stop());

  it("says the code is in the API's log", async () => {
    const { page } = stack;
    await page.goto(`${stack.webUrl}/login`);
    const hint = page.getByTestId('dev-code-hint');
    await hint.waitFor({ timeout: 20_000 });
    expect(await hint.innerText()).toMatch(
      /No Discord configured[\s\S]*the sign-in code is in the API's log[\s\S]*DEV ONLY/,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'login-dev-hint.png') });
  });
});
