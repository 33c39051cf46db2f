import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import {
  freePort,
  startApiProcess,
  startDiscordStandIn,
  startPostgres,
  type ApiProcess,
  type RunningDiscord,
  type RunningPostgres,
} from '@dumpstation/testing';

export const WEB_ROOT = resolve(__dirname, '..');
export const SCREENSHOTS = join(WEB_ROOT, 'test-output');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The instance admin the API creates on first start; its codes go to this (stand-in) webhook. */
export const ADMIN = 'admin';
const WEBHOOK_ID = '123456789012345678';
const WEBHOOK_TOKEN = 'test-token';
export const ADMIN_WEBHOOK_PATH = `/webhooks/${WEBHOOK_ID}/${WEBHOOK_TOKEN}`;
const CODE = /sign-in code for \*\*([^*]+)\*\*: \*\*(\d{6})\*\*/;

export interface ConsoleStack {
  postgres: RunningPostgres;
  discord: RunningDiscord;
  api: ApiProcess;
  webUrl: string;
  browser: Browser;
  page: Page;
  stop(): Promise<void>;
}

async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the console's server exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${output()}`);
}

export interface ConsoleStackOptions {
  /** More environment for the API process (e.g. STORAGE_LOCAL_ROOT). */
  apiEnv?: Record<string, string | undefined>;
  /** More environment for the console's server (e.g. TRUSTED_PROXIES). */
  webEnv?: Record<string, string | undefined>;
}

/**
 * The built console (next start) against a real API on a real PostgreSQL, with Discord stood in
 * on loopback, in Debian's Chromium.
 */
export async function startConsoleStack(options: ConsoleStackOptions = {}): Promise<ConsoleStack> {
  if (!existsSync(join(WEB_ROOT, '.next', 'BUILD_ID'))) {
    throw new Error('apps/web/.next is missing: run `pnpm --filter @dumpstation/web build` first');
  }
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run \`apt-get install chromium\` (make test does)`);
  mkdirSync(SCREENSHOTS, { recursive: true });

  const started: Partial<ConsoleStack> & { web?: ChildProcess } = {};
  const stop = async () => {
    await started.browser?.close();
    const web = started.web;
    if (web && web.exitCode === null) {
      web.kill('SIGTERM');
      await new Promise((r) => web.once('exit', r));
    }
    await started.api?.stop();
    await started.discord?.stop();
    await started.postgres?.stop();
  };

  try {
    started.postgres = await startPostgres({ major: 17 });
    started.discord = await startDiscordStandIn();
    started.api = await startApiProcess({
      databaseUrl: await started.postgres.createDatabase(),
      env: {
        DISCORD_API_URL: started.discord.apiBase,
        SYSTEM_USERNAME: ADMIN,
        SYSTEM_DISCORD_WEBHOOK_URL: `https://discord.com/api${ADMIN_WEBHOOK_PATH}`,
        // One browser signs in several times within a minute from the same address.
        AUTH_RATE_LIMIT_PER_MINUTE: '1000',
        ...options.apiEnv,
      },
    });

    const port = await freePort();
    const webUrl = `http://127.0.0.1:${port}`;
    let output = '';
    // server.js, as in production: `next start` that tells the /api proxy who connected.
    const web = spawn(process.execPath, [join(WEB_ROOT, 'server.js')], {
      cwd: WEB_ROOT,
      env: {
        ...process.env,
        API_URL: started.api.url,
        NEXT_TELEMETRY_DISABLED: '1',
        NODE_ENV: 'production',
        PORT: String(port),
        HOSTNAME: '127.0.0.1',
        ...options.webEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.web = web;
    web.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    web.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitForHttp(`${webUrl}/login`, 60_000, web, () => output);

    started.browser = await chromium.launch({
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
    const page = await started.browser.newPage({ viewport: { width: 1280, height: 800 } });
    return {
      postgres: started.postgres,
      discord: started.discord,
      api: started.api,
      webUrl,
      browser: started.browser,
      page,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The sign-in codes delivered on the admin's webhook for `username`, oldest first. */
export function deliveredCodes(discord: RunningDiscord, username: string = ADMIN): string[] {
  return discord
    .calls()
    .filter((call) => call.path.startsWith(ADMIN_WEBHOOK_PATH))
    .map((call) => CODE.exec(String((call.body as { content?: string } | null)?.content ?? '')))
    .filter((match): match is RegExpExecArray => match !== null && match[1] === username)
    .map((match) => match[2]);
}

/** Waits for a code newer than the `known` ones (the API delivers in the background). */
export async function waitForCode(
  discord: RunningDiscord,
  known: number,
  username: string = ADMIN,
  timeoutMs = 10_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const codes = deliveredCodes(discord, username);
    if (codes.length > known) return codes[codes.length - 1];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no sign-in code for ${username} reached the Discord stand-in within ${timeoutMs} ms`);
}

/** Step 1 and 2 of the sign-in page: username, then the code read from the Discord stand-in. */
export async function enterUsernameAndCode(page: Page, stack: ConsoleStack, username: string = ADMIN): Promise<void> {
  const known = deliveredCodes(stack.discord, username).length;
  await page.getByLabel('Username or email').fill(username);
  await page.getByRole('button', { name: 'Send code' }).click();
  const code = await waitForCode(stack.discord, known, username);
  await page.getByLabel('Sign-in code').fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in through the page (no 2FA) and waits for the overview. */
export async function signIn(page: Page, stack: ConsoleStack, username: string = ADMIN): Promise<void> {
  await page.goto(`${stack.webUrl}/login`);
  await enterUsernameAndCode(page, stack, username);
  await page.waitForURL(`${stack.webUrl}/`, { timeout: 20_000 });
  await page.getByRole('heading', { name: 'Overview' }).waitFor({ timeout: 20_000 });
}

export interface StoredSessionView {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds. */
  accessExpiresAt: number;
  tenant: { id: string; name: string };
}

/** The session the console keeps in localStorage. */
export async function storedSession(page: Page): Promise<StoredSessionView | null> {
  return page.evaluate(() => {
    const raw = window.localStorage.getItem('dumpstation.session');
    return raw ? (JSON.parse(raw) as StoredSessionView) : null;
  });
}

/** The few methods of a `pg` Client the tests use. */
export interface PgClient {
  query<Row = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<{ rows: Row[] }>;
}

interface PgClientConnection extends PgClient {
  connect(): Promise<void>;
  end(): Promise<void>;
}

type PgModule = { Client: new (config: { connectionString: string }) => PgClientConnection };

/** Connects to `url` with `pg` (a dependency of @dumpstation/testing, not of the console), runs `use`, disconnects. */
export async function withPg<T>(url: string, use: (client: PgClient) => Promise<T>): Promise<T> {
  const { Client } = createRequire(require.resolve('@dumpstation/testing'))('pg') as PgModule;
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Follows a link of the main navigation and waits for its page. */
export async function openFromNavigation(page: Page, stack: ConsoleStack, label: string, path: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: label }).click();
  await page.waitForURL(`${stack.webUrl}${path}`);
}

/** Waits until a modal or drawer has closed, its fading overlay included. */
export async function closed(page: Page, dialog: Locator): Promise<void> {
  await dialog.waitFor({ state: 'detached', timeout: 10_000 });
  await page.locator('.mantine-Modal-overlay, .mantine-Drawer-overlay').waitFor({ state: 'detached', timeout: 10_000 });
}

/** Picks `option` in the Select labelled `label` inside `dialog`. */
export async function pick(page: Page, dialog: Locator, label: RegExp, option: string | RegExp): Promise<void> {
  await dialog.getByLabel(label).click();
  await page.getByRole('option', { name: option }).click();
}

/** A signed-in console whose API keeps local storage in `storageRoot`, and a PostgreSQL 15 to manage. */
export interface ConsoleWithPostgres {
  stack: ConsoleStack;
  page: Page;
  pg15: RunningPostgres;
  storageRoot: string;
}

/**
 * For a describe(): before its tests, a PostgreSQL 15 (prepared by `seed`) and the console stack
 * with local storage in a temporary folder, signed in as the instance admin; after each test,
 * no uncaught error in the page; after all, everything stopped and removed. The fields of the
 * answer are set once its tests run.
 */
export function setUpConsoleWithPostgres(
  name: string,
  seed?: (pg15: RunningPostgres) => Promise<void>,
): ConsoleWithPostgres {
  const env = {} as ConsoleWithPostgres;
  /** Uncaught errors in the page (React's hydration and render errors included). */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    env.storageRoot = await mkdtemp(join(tmpdir(), `dumpstation-web-${name}-`));
    env.pg15 = await startPostgres({ major: 15 });
    if (seed) await seed(env.pg15);
    env.stack = await startConsoleStack({ apiEnv: { STORAGE_LOCAL_ROOT: env.storageRoot } });
    env.page = env.stack.page;
    env.page.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(env.page, env.stack);
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    await env.stack?.stop();
    await env.pg15?.stop();
    if (env.storageRoot) await rm(env.storageRoot, { recursive: true, force: true });
  });

  return env;
}
