import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { freePort } from './free-port';
import { testPgBinDirTemplate } from './pg-clients';

export const REPO_ROOT = resolve(__dirname, '../../..');
export const API_ENTRY = join(REPO_ROOT, 'apps/api/dist/main.js');

export interface ApiProcess {
  url: string;
  process: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface SpawnApiOptions {
  databaseUrl?: string;
  env?: Record<string, string | undefined>;
  port?: number;
}

/** Spawns the compiled API (`apps/api/dist/main.js`) as a real process. */
export async function spawnApi(
  options: SpawnApiOptions = {},
): Promise<ApiProcess & { exited: Promise<number | null> }> {
  if (!existsSync(API_ENTRY)) {
    throw new Error(`${API_ENTRY} is missing: run \`pnpm --filter @dumpstation/api build\` first`);
  }
  const port = options.port ?? (await freePort());
  const env = {} as NodeJS.ProcessEnv;
  for (const [key, value] of Object.entries({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: options.databaseUrl,
    APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PG_BIN_DIR_TEMPLATE: testPgBinDirTemplate(),
    ...options.env,
  })) {
    if (value !== undefined) env[key] = value;
  }
  const child = spawn(process.execPath, [API_ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    process: child,
    exited,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Spawns the API and waits until `GET /api/v1/health` answers 200. */
export async function startApiProcess(options: SpawnApiOptions = {}, timeoutMs = 30_000): Promise<ApiProcess> {
  const api = await spawnApi(options);
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void api.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`API exited with ${exitCode} before it was healthy:\n${api.output()}`);
    }
    try {
      const response = await fetch(`${api.url}/api/v1/health`);
      if (response.status === 200) return api;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await api.stop();
  throw new Error(`API not healthy after ${timeoutMs} ms:\n${api.output()}`);
}
