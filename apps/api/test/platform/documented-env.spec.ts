import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { freePort, spawnApi, startApiProcess } from '@dumpstation/testing';
import { startTestApp } from '../helpers/app';
import { signIn } from '../helpers/auth';
import { createTestDatabase } from '../helpers/database';
import { uniqueWebhook } from '../helpers/discord';

/** Runs `text` as the test server's superuser, in its default database or in `database`. */
async function asAdmin(text: string, database?: string): Promise<Record<string, unknown>[]> {
  const url = new URL(process.env.TEST_DATABASE_ADMIN_URL!);
  if (database) url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

// The environment names DumpStation's README documents, on the compiled API as production runs it
// (build first: pnpm --filter @dumpstation/api build).
describe('documented environment names', () => {
  const admin = new URL(process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://unset');
  // Every character that breaks a URL written by hand, and a quote for the SQL below.
  const password = `p@ss:w/rd?#%&= ${randomBytes(4).toString('hex')}`;
  const role = `ds_${randomBytes(4).toString('hex')}`;
  const dbname = `ds_parts_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    await asAdmin(`CREATE ROLE ${role} LOGIN PASSWORD '${password.replace(/'/g, "''")}'`);
    await asAdmin(`CREATE DATABASE ${dbname} OWNER ${role}`);
  });

  /** DB_* parts of the role's database, and the documented SERVER_* names instead of HOST/PORT. */
  const documentedEnv = (port: number, parts: Record<string, string> = {}) => ({
    DATABASE_URL: undefined,
    HOST: undefined,
    PORT: undefined,
    SERVER_HOST: '127.0.0.1',
    SERVER_PORT: String(port),
    DB_HOST: admin.hostname,
    DB_PORT: admin.port,
    DB_USER: role,
    DB_PASSWORD: password,
    DB_NAME: dbname,
    DB_SSLMODE: 'disable',
    ...parts,
  });

  it('boots on DB_* parts (a password with @ : / and more) and binds SERVER_HOST:SERVER_PORT', async () => {
    const port = await freePort();
    const api = await startApiProcess({ port, env: documentedEnv(port) });
    try {
      const health = await fetch(`${api.url}/health`);
      expect([health.status, ((await health.json()) as { status: string }).status]).toEqual([200, 'healthy']);
    } finally {
      expect(await api.stop()).toBe(0);
    }
    // The migrator ran as that role, in that database, through the composed URL.
    const owners = await asAdmin(
      `SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('backups', '_prisma_migrations')`,
      dbname,
    );
    expect(owners).toEqual([{ tableowner: role }]);
    expect(api.output()).not.toContain(password);
  });

  it('refuses to boot with a wrong DB_PASSWORD (the parts are really used)', async () => {
    const port = await freePort();
    const api = await spawnApi({ port, env: documentedEnv(port, { DB_PASSWORD: 'not-the-password' }) });
    expect(await api.exited).toBe(1);
    expect(api.output()).toMatch(/password authentication failed/);
  });

  it('lets ours win when both names are set: PORT over SERVER_PORT, DATABASE_URL over DB_*', async () => {
    const [ours, theirs] = [await freePort(), await freePort()];
    const api = await startApiProcess({
      port: ours,
      databaseUrl: await createTestDatabase(),
      // DB_* point at a port nothing listens on: booting at all proves DATABASE_URL won.
      env: { SERVER_PORT: String(theirs), DB_HOST: '127.0.0.1', DB_PORT: '1', DB_USER: 'x', DB_NAME: 'y' },
    });
    try {
      expect((await fetch(`http://127.0.0.1:${ours}/health`)).status).toBe(200);
      await expect(fetch(`http://127.0.0.1:${theirs}/health`)).rejects.toThrow();
    } finally {
      await api.stop();
    }
  });

  it('refuses to boot with CORS_ALLOWED_ORIGINS=* and CORS_ALLOW_CREDENTIALS=true, naming both', async () => {
    const api = await spawnApi({
      databaseUrl: await createTestDatabase(),
      env: { CORS_ALLOWED_ORIGINS: '*', CORS_ALLOW_CREDENTIALS: 'true' },
    });
    expect(await api.exited).toBe(1);
    expect(api.output()).toMatch(/CORS_ALLOWED_ORIGINS: .*CORS_ALLOW_CREDENTIALS/);
    expect(api.output()).toContain('The API did not start');
  });

  it('sends sign-in codes to DISCORD_WEBHOOK_URL, the documented name of the system webhook', async () => {
    const hook = uniqueWebhook();
    const api = await startTestApp({ env: { SYSTEM_USERNAME: 'root', DISCORD_WEBHOOK_URL: hook.url } });
    try {
      // The instance admin has no webhook of its own: its code goes to the system webhook.
      const session = await signIn(api, 'root', hook.path);
      expect(session.access_token).toBeTruthy();
    } finally {
      await api.close();
    }
  });
});
