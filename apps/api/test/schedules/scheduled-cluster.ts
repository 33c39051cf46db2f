import { startApiProcess, type ApiProcess, type RunningPostgres } from '@dumpstation/testing';
import { randomBytes } from 'node:crypto';
import { deliveredCodes, uniqueWebhook, waitForCode } from '../helpers/discord';
import { databaseFields, seededDatabase, sql } from '../helpers/engine';
import { createBucket, s3Settings } from '../helpers/s3';

export interface SlotRow {
  scheduled_for: Date;
  status: string;
  error_message: string | null;
  created_at: Date;
  rows: number;
}

export async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

/** API processes on one service database, with a scheduled database backing up a real server. */
export function scheduledCluster(databaseUrl: () => string) {
  const rootHook = uniqueWebhook();
  const encryptionKey = randomBytes(32).toString('base64');
  const processes: ApiProcess[] = [];
  let token = '';
  let databaseId = '';

  const boot = async (env: Record<string, string> = {}) => {
    const api = await startApiProcess({
      databaseUrl: databaseUrl(),
      env: {
        APP_ENCRYPTION_KEY: encryptionKey,
        DISCORD_API_URL: process.env.TEST_DISCORD_API,
        SYSTEM_USERNAME: 'root',
        SYSTEM_DISCORD_WEBHOOK_URL: rootHook.url,
        LOG_LEVEL: 'warn',
        SCHEDULER_POLL_MS: '200',
        SCHEDULE_ALLOW_SECONDS: 'true',
        ...env,
      },
    });
    processes.push(api);
    return api;
  };

  async function call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${processes[0].url}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  return {
    boot,
    processes,
    call,
    get databaseId() {
      return databaseId;
    },
    async signIn() {
      const known = await deliveredCodes(rootHook.path, 'root');
      await call('POST', '/auth/login', { username: 'root' });
      const otp = await waitForCode(rootHook.path, 'root', known);
      token = (await call('POST', '/auth/verify', { username: 'root', otp })).access_token as string;
    },
    async scheduleDatabase(pg: RunningPostgres, schedule: string) {
      const source = await seededDatabase(pg);
      const storage = await call('POST', '/storage', { name: 'store', ...s3Settings(await createBucket('sched')) });
      const database = await call('POST', '/databases', {
        name: 'scheduled',
        ...databaseFields(pg, source.dbname),
        storage_id: storage.id,
        schedule,
      });
      databaseId = database.id as string;
      return database;
    },
    async stopAll() {
      await Promise.all(processes.splice(0).map((api) => api.stop()));
    },
    /** One line per recorded slot, with how many rows it has. */
    async slots(): Promise<SlotRow[]> {
      return (await sql(
        databaseUrl(),
        `SELECT scheduled_for, min(status::text) AS status, min(error_message) AS error_message,
                min(created_at) AS created_at, count(*)::int AS rows
           FROM backups WHERE database_id = $1 AND scheduled_for IS NOT NULL
          GROUP BY scheduled_for ORDER BY scheduled_for`,
        [databaseId],
      )) as unknown as SlotRow[];
    },
  };
}
