import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
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

export interface ConsoleStackOptions {
  /** More environment for the API process (e.g. STORAGE_LOCAL_ROOT). */
  apiEnv?: Record<string, string | undefined>;
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
    const web = spawn(
      process.execPath,
      [require.resolve('next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'],
      {
        cwd: WEB_ROOT,
        env: { ...process.env, API_URL: started.api.url, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
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
