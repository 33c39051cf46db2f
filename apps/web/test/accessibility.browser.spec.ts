import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningPostgres } from '@dumpstation/testing';
import { SCREENSHOTS, setUpConsoleWithPostgres, storedSession, withPg, type ConsoleStack } from './support';

const SOURCE_DB = 'shop';
const SHOTS = join(SCREENSHOTS, 'pages');

type Scheme = 'light' | 'dark';
const SIZES = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const SCHEMES: Scheme[] = ['light', 'dark'];

/** A page of the console, and how to tell it has its content. */
interface ConsolePage {
  name: string;
  path: () => string;
  /** Signed out (the sign-in page) rather than signed in. */
  anonymous?: boolean;
  ready: (page: Page) => Promise<unknown>;
}

type Backup = { id: string; name: string; status: string; error_message?: string | null };

/** One axe-core violation, as printed when the test fails. */
interface Finding {
  where: string;
  rule: string;
  impact: string;
  help: string;
  nodes: string[];
}

// WCAG 2.2 AA in Chromium: axe-core on every page of the console, with real content (a storage,
// a notification, two databases, a successful and a failed backup, an API token), in both
// colour schemes, at desktop and phone sizes. Any serious or critical violation fails; each
// page also has exactly one <main> and one <h1>. A screenshot of each is saved under
// test-output/pages. Then the small things: favicon, the 404 page inside the shell, the skip
// link, the link to the API docs, the failed backup's reason on hover.
describe('accessibility of every page in Chromium', () => {
  const env = setUpConsoleWithPostgres('a11y', async (pg15) => {
    await pg15.createDatabase(SOURCE_DB);
    await withPg(pg15.urlFor(SOURCE_DB), async (client) => {
      await client.query('CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL)');
      await client.query("INSERT INTO items VALUES (1, 'anvil'), (2, 'rope')");
    });
  });
  let stack: ConsoleStack;
  let page: Page;
  let pg15: RunningPostgres;
  const ids: Record<string, string> = {};
  let failedBackup: Backup;

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

  async function backUp(databaseId: string): Promise<Backup> {
    const started = await api<Backup>('POST', `/databases/${databaseId}/backup`);
    for (let i = 0; i < 600; i++) {
      const backup = await api<Backup>('GET', `/backups/${started.id}`);
      if (backup.status === 'success' || backup.status === 'failed') return backup;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`backup ${started.id} did not finish`);
  }

  const table = (testId: string) => (p: Page) => p.getByTestId(testId).locator('tbody tr').first().waitFor();
  const PAGES: ConsolePage[] = [
    {
      name: 'sign-in',
      path: () => '/login',
      anonymous: true,
      ready: (p) => p.getByLabel('Username or email').waitFor(),
    },
    {
      name: 'overview',
      path: () => '/',
      ready: async (p) => {
        await p.getByTestId('stat-cards').waitFor();
        await p.getByTestId('health-card').waitFor();
        await p.getByTestId(`attention-${ids.wrong}`).waitFor();
      },
    },
    { name: 'databases', path: () => '/databases', ready: table('databases-table') },
    {
      name: 'database',
      path: () => `/databases/${ids.shop}`,
      ready: async (p) => {
        await p.getByTestId('backup-history').locator('[data-testid^="backup-row-"]').first().waitFor();
        await p.getByTestId('restore-history').waitFor();
      },
    },
    { name: 'backups', path: () => '/backups', ready: table('tenant-backups-table') },
    { name: 'storage', path: () => '/storage', ready: table('storage-table') },
    { name: 'notifications', path: () => '/notifications', ready: table('notifications-table') },
    { name: 'activity', path: () => '/activity', ready: table('activity-table') },
    { name: 'profile', path: () => '/settings/profile', ready: (p) => p.getByLabel(/^Display name/).waitFor() },
    { name: 'security', path: () => '/settings/security', ready: (p) => p.getByTestId('two-factor-status').waitFor() },
    { name: 'api-tokens', path: () => '/settings/tokens', ready: table('api-tokens-table') },
    { name: 'members', path: () => '/settings/members', ready: table('members-table') },
    { name: 'tenants', path: () => '/settings/tenants', ready: table('tenants-table') },
    // The two kinds of dialog: a drawer (a backup's details) and a modal (a restore).
    {
      name: 'backup-details',
      path: () => `/databases/${ids.shop}`,
      ready: async (p) => {
        await p.getByRole('button', { name: ids.backupName, exact: true }).click();
        await p
          .getByRole('dialog', { name: `Backup ${ids.backupName}` })
          .getByTestId('backup-details')
          .waitFor();
      },
    },
    {
      name: 'restore-dialog',
      path: () => `/databases/${ids.shop}`,
      ready: async (p) => {
        await p.getByRole('button', { name: `Restore ${ids.backupName}` }).click();
        await p.getByRole('dialog', { name: `Restore ${ids.backupName}` }).waitFor();
      },
    },
    {
      name: 'not-found',
      path: () => '/no-such-page',
      ready: (p) => p.getByRole('heading', { name: 'Page not found' }).waitFor(),
    },
  ];

  beforeAll(async () => {
    ({ stack, page, pg15 } = env);
    mkdirSync(SHOTS, { recursive: true });
    const connection = { host: pg15.host, port: pg15.port, user: pg15.user, dbname: SOURCE_DB, sslmode: 'disable' };
    const storage = await api<{ id: string }>('POST', '/storage', { name: 'local-disk', provider: 'local' });
    const notification = await api<{ id: string }>('POST', '/notifications', {
      name: 'ops-alerts',
      discord_webhook_url: 'https://discord.com/api/webhooks/123456789012345678/a11y-token',
    });
    ids.shop = (
      await api<{ id: string }>('POST', '/databases', {
        ...connection,
        name: 'shop-pg15',
        password: pg15.password,
        storage_id: storage.id,
        notification_id: notification.id,
        schedule: '0 3 * * *',
      })
    ).id;
    ids.wrong = (
      await api<{ id: string }>('POST', '/databases', {
        ...connection,
        name: 'shop-wrong-password',
        password: `${pg15.password}-wrong`,
        storage_id: storage.id,
      })
    ).id;
    const backup = await backUp(ids.shop);
    expect(backup.status).toBe('success');
    ids.backupName = backup.name;
    failedBackup = await backUp(ids.wrong);
    expect(failedBackup.status).toBe('failed');
    await api('POST', '/api-tokens', { name: 'ci-nightly', role: 'operator' });
    // More than a page of activity (20 a page), so the activity page has its pagination.
    for (let i = 1; i <= 12; i++) await api('POST', '/api-tokens', { name: `deploy-${i}`, role: 'viewer' });
  });

  /** axe-core in the page as it is now: the violations, serious and critical ones first. */
  async function audit(target: Page): Promise<axe.Result[]> {
    await target.evaluate(axe.source);
    const results = await target.evaluate(() =>
      (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }),
    );
    return results.violations;
  }

  /** Waits until the page has its content and nothing is still fading in or loading. */
  async function settle(target: Page, entry: ConsolePage): Promise<void> {
    await entry.ready(target);
    await target.waitForFunction(
      () => document.querySelectorAll('.mantine-Skeleton-root[data-visible], [aria-busy="true"]').length === 0,
      undefined,
      { timeout: 20_000 },
    );
    await target.mouse.move(0, 0);
    // Mantine's transitions (150–300 ms) would be measured half-way otherwise.
    await target.waitForTimeout(350);
  }

  /**
   * What axe counts only as "moderate", or not at all: exactly one main and one h1, and no
   * block inside a paragraph (invalid HTML, which the parser would split).
   */
  async function structure(target: Page): Promise<{ mains: number; h1s: string[]; invalid: string[] }> {
    return target.evaluate(() => ({
      mains: document.querySelectorAll('main, [role="main"]').length,
      h1s: [...document.querySelectorAll('h1, [role="heading"][aria-level="1"]')].map((h) => h.textContent ?? ''),
      invalid: [
        ...[...document.querySelectorAll('p div, p p, p table, p ul, p ol, p h1, p h2, p h3, p h4')].map(
          (el) => `${el.tagName.toLowerCase()} in <p> "${(el.closest('p')?.textContent ?? '').slice(0, 60)}"`,
        ),
        // axe does not measure placeholders; WCAG 1.4.3 counts them as text.
        ...[...document.querySelectorAll<HTMLInputElement>('input[placeholder]:not(:disabled), textarea[placeholder]')]
          .filter((input) => input.offsetParent !== null)
          .flatMap((input) => {
            const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
            const luminance = ([r, g, b]: number[]) =>
              [r, g, b]
                .map((c) => c / 255)
                .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
                .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
            const fg = rgb(getComputedStyle(input, '::placeholder').color);
            const bg = rgb(getComputedStyle(input).backgroundColor);
            if (bg.length === 4 && bg[3] === 0) return [];
            const [a, b] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
            const ratio = (a + 0.05) / (b + 0.05);
            return ratio < 4.5
              ? [`placeholder "${input.placeholder}" at ${ratio.toFixed(2)}:1 (${fg.join(',')} on ${bg.join(',')})`]
              : [];
          }),
      ],
    }));
  }

  async function newAnonymousPage(browser: Browser, width: number, height: number, scheme: Scheme) {
    const context: BrowserContext = await browser.newContext({ viewport: { width, height }, colorScheme: scheme });
    return { context, page: await context.newPage() };
  }

  for (const size of SIZES) {
    for (const scheme of SCHEMES) {
      it(`has no serious or critical axe violation on any page, ${scheme}, ${size.name} ${size.width}×${size.height}`, async () => {
        const findings: Finding[] = [];
        const shapes: string[] = [];
        await page.setViewportSize({ width: size.width, height: size.height });
        await page.emulateMedia({ colorScheme: scheme });
        for (const entry of PAGES) {
          const where = `${entry.name} (${entry.path()}), ${scheme}, ${size.width}px`;
          const anonymous = entry.anonymous
            ? await newAnonymousPage(stack.browser, size.width, size.height, scheme)
            : undefined;
          const target = anonymous?.page ?? page;
          try {
            await target.goto(`${stack.webUrl}${entry.path()}`);
            await settle(target, entry);
            expect(await target.evaluate(() => document.documentElement.dataset.mantineColorScheme)).toBe(scheme);
            for (const violation of await audit(target)) {
              findings.push({
                where,
                rule: violation.id,
                impact: violation.impact ?? 'unknown',
                help: violation.help,
                nodes: violation.nodes.map(
                  (node) =>
                    `${node.target.join(' ')}\n        ${(node.failureSummary ?? '').replace(/\n/g, '\n        ')}`,
                ),
              });
            }
            const { mains, h1s, invalid } = await structure(target);
            if (mains !== 1 || h1s.length !== 1)
              shapes.push(`${where}: ${mains} <main>, ${h1s.length} <h1> (${JSON.stringify(h1s)})`);
            for (const problem of invalid) shapes.push(`${where}: ${problem}`);
            await target.screenshot({
              path: join(SHOTS, `${entry.name}-${size.width}-${scheme}.png`),
              fullPage: true,
            });
          } finally {
            await anonymous?.context.close();
          }
        }
        const blocking = findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
        const report = (list: Finding[]) =>
          list
            .map((f) => `[${f.impact}] ${f.rule}: ${f.help}\n  on ${f.where}\n      ${f.nodes.join('\n      ')}`)
            .join('\n\n');
        const minor = findings.filter((f) => !blocking.includes(f));
        if (minor.length > 0) console.log(`axe, moderate and minor (not failing):\n${report(minor)}`);
        if (blocking.length > 0 || shapes.length > 0) {
          throw new Error(
            `${blocking.length} serious or critical axe violation(s):\n\n${report(blocking)}\n\n` +
              (shapes.length > 0
                ? `Structure (one <main>, one <h1>, valid nesting) and placeholders:\n${shapes.join('\n')}`
                : ''),
          );
        }
      });
    }
  }

  it('serves a favicon, linked from every page', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });
    const ico = await fetch(`${stack.webUrl}/favicon.ico`);
    expect(ico.status).toBe(200);
    expect(ico.headers.get('content-type')).toMatch(/image\//);
    await page.goto(`${stack.webUrl}/`);
    const href = await page.locator('link[rel~="icon"]').first().getAttribute('href');
    expect(href).toBeTruthy();
    const icon = await fetch(new URL(href!, stack.webUrl));
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toMatch(/image\//);
  });

  it('shows an unknown address as "Page not found" inside the shell, with a way back', async () => {
    const response = await page.goto(`${stack.webUrl}/no-such-page`);
    expect(response?.status()).toBe(404);
    const main = page.getByRole('main');
    await main.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main navigation' }).isVisible()).toBe(true);
    await main.getByRole('link', { name: 'Go to the overview' }).click();
    await page.waitForURL(`${stack.webUrl}/`);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  });

  it('has a skip link, the first thing Tab reaches, that moves focus to the main content', async () => {
    await page.goto(`${stack.webUrl}/databases`);
    await page.getByTestId('databases-table').waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await skip.isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.tagName === 'MAIN');
    // The next Tab goes on from the page's own content, not the header.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.querySelector('main')!.contains(document.activeElement))).toBe(true);
  });

  it('names the user menu by its visible label, and links to the API docs', async () => {
    await page.goto(`${stack.webUrl}/`);
    const visible = (await page.getByTestId('user-menu').locator('p').innerText()).trim();
    expect(visible).not.toBe('');
    // Found by its visible label as its accessible name.
    const menu = page.getByRole('banner').getByRole('button', { name: visible, exact: true });
    expect(await menu.getAttribute('data-testid')).toBe('user-menu');
    expect(await menu.getAttribute('aria-haspopup')).toBe('menu');
    const docs = page.getByRole('link', { name: /API docs/ });
    expect(await docs.getAttribute('href')).toBe('/api/docs');
    expect((await fetch(`${stack.webUrl}/api/docs`)).status).toBe(200);
  });

  it('names the pagination controls', async () => {
    await page.goto(`${stack.webUrl}/activity`);
    const pages = page.getByRole('main').getByRole('button', { name: 'Page 2', exact: true });
    await pages.waitFor();
    for (const name of ['Previous page', 'Next page', 'Page 1'])
      await page.getByRole('main').getByRole('button', { name, exact: true }).waitFor();
    await page.getByRole('main').getByRole('button', { name: 'Next page', exact: true }).click();
    await page.waitForURL(/page=2/);
  });

  it('tells a failed backup’s reason on hover in the backup lists', async () => {
    expect(failedBackup.error_message).toBeTruthy();
    for (const path of ['/backups', `/databases/${ids.wrong}`]) {
      await page.goto(`${stack.webUrl}${path}`);
      const status = page.locator(`[data-testid="backup-status"][data-status="failed"]`).first();
      await status.waitFor();
      expect(await status.getAttribute('title')).toBe(failedBackup.error_message);
    }
  });

  it('keeps the screenshots it took', async () => {
    for (const entry of PAGES)
      for (const size of SIZES)
        expect((await readFile(join(SHOTS, `${entry.name}-${size.width}-light.png`))).length).toBeGreaterThan(1000);
  });
});
