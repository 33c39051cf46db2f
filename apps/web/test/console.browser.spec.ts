import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort, startApiProcess, startPostgres, type ApiProcess, type RunningPostgres } from '@dumpstation/testing';

const WEB_ROOT = resolve(__dirname, '..');
const SCREENSHOTS = join(WEB_ROOT, 'test-output');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${output()}`);
}

// The built console (next start) against a real API on a real PostgreSQL, in Debian's Chromium.
describe('console in Chromium', () => {
  let postgres: RunningPostgres;
  let api: ApiProcess;
  let web: ChildProcess;
  let webUrl: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(join(WEB_ROOT, '.next', 'BUILD_ID'))) {
      throw new Error('apps/web/.next is missing: run `pnpm --filter @dumpstation/web build` first');
    }
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: run \`apt-get install chromium\` (make test does)`);
    mkdirSync(SCREENSHOTS, { recursive: true });

    postgres = await startPostgres({ major: 17 });
    api = await startApiProcess({ databaseUrl: await postgres.createDatabase() });

    const port = await freePort();
    webUrl = `http://127.0.0.1:${port}`;
    let output = '';
    web = spawn(
      process.execPath,
      [require.resolve('next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'],
      {
        cwd: WEB_ROOT,
        env: { ...process.env, API_URL: api.url, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    web.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    web.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitForHttp(webUrl, 60_000, web, () => output);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-dev-shm-usage',
        '--disable-quic',
      ],
      // launch() gives Chromium a fresh temporary profile each time.
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });

  afterAll(async () => {
    await browser?.close();
    if (web && web.exitCode === null) {
      web.kill('SIGTERM');
      await new Promise((r) => web.once('exit', r));
    }
    await api?.stop();
    await postgres?.stop();
  });

  it('shows the API healthy with its database up', async () => {
    await page.goto(webUrl);
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
    await api.stop();
    await page.reload();
    await page.getByTestId('health-unreachable').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('health-unreachable').innerText()).toMatch(/unreachable/i);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-api-down.png'), fullPage: true });
  });
});
