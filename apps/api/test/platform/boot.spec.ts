import { cp, mkdtemp, appendFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { spawnApi, startApiProcess } from '@dumpstation/testing';
import { defaultMigrationsDir } from '../../src/prisma/migrator';
import { createTestDatabase } from '../helpers/database';

// These run the compiled API (apps/api/dist/main.js) as a real process, as production does.
describe('API process', () => {
  it('refuses to boot with a bad variable, naming it, and exits non-zero', async () => {
    const api = await spawnApi({
      databaseUrl: await createTestDatabase(),
      env: { PORT: 'eighty', LOG_LEVEL: 'chatty' },
    });
    expect(await api.exited).toBe(1);
    expect(api.output()).toMatch(/PORT: .*"eighty"/);
    expect(api.output()).toMatch(/LOG_LEVEL: /);
  });

  it('refuses to boot without DATABASE_URL', async () => {
    const api = await spawnApi({ env: { DATABASE_URL: undefined } });
    expect(await api.exited).toBe(1);
    expect(api.output()).toContain('DATABASE_URL: is required');
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const api = await startApiProcess({ databaseUrl: await createTestDatabase() });
    expect(await api.stop()).toBe(0);
    expect(api.output()).toContain('Shut down cleanly');
  });

  it('writes JSON log lines and never logs credentials sent to it', async () => {
    const api = await startApiProcess({ databaseUrl: await createTestDatabase() });
    try {
      const response = await fetch(`${api.url}/api/v1/does-not-exist?token=query-secret-123`, {
        headers: { authorization: 'Bearer header-secret-456', cookie: 'session=cookie-secret-789' },
      });
      expect(response.status).toBe(404);
    } finally {
      await api.stop();
    }
    const lines = api.output().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const requestLine = lines.map((l) => JSON.parse(l)).find((l) => l.req?.path === '/api/v1/does-not-exist');
    expect(requestLine).toBeDefined();
    expect(requestLine.req.headers).toBeUndefined(); // headers are not logged at all
    for (const secret of ['query-secret-123', 'header-secret-456', 'cookie-secret-789']) {
      expect(api.output()).not.toContain(secret);
    }
  });

  it('two processes booting at once on an empty database both come up, migrations applied once', async () => {
    const databaseUrl = await createTestDatabase();
    const [a, b] = await Promise.all([startApiProcess({ databaseUrl }), startApiProcess({ databaseUrl })]);
    await Promise.all([a.stop(), b.stop()]);
    const migrations = (await readdir(defaultMigrationsDir(), { withFileTypes: true })).filter((d) => d.isDirectory());
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ migration_name: string; n: number }>(
      'SELECT migration_name, count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL GROUP BY 1 ORDER BY 1',
    );
    await client.end();
    expect(rows).toEqual(
      migrations
        .map((m) => ({ migration_name: m.name, n: 1 }))
        .sort((x, y) => x.migration_name.localeCompare(y.migration_name)),
    );
    const applied = [a, b].map((p) => /Migrations: (\d+) applied/.exec(p.output())?.[1]);
    expect(applied.sort()).toEqual(['0', String(migrations.length)]);
  });

  it('refuses to boot when an applied migration file was edited', async () => {
    const databaseUrl = await createTestDatabase();
    const migrationsDir = await mkdtemp(join(tmpdir(), 'dumpstation-migrations-'));
    try {
      await cp(defaultMigrationsDir(), migrationsDir, { recursive: true });
      const first = await startApiProcess({ databaseUrl, env: { MIGRATIONS_DIR: migrationsDir } });
      expect(await first.stop()).toBe(0);

      const [firstMigration] = (await readdir(migrationsDir, { withFileTypes: true })).filter((d) => d.isDirectory());
      await appendFile(join(migrationsDir, firstMigration.name, 'migration.sql'), '\n-- edited after it was applied\n');
      const second = await spawnApi({ databaseUrl, env: { MIGRATIONS_DIR: migrationsDir } });
      expect(await second.exited).toBe(1);
      expect(second.output()).toContain(firstMigration.name);
      expect(second.output()).toMatch(/changed|modified/i);
    } finally {
      await rm(migrationsDir, { recursive: true, force: true });
    }
  });
});
