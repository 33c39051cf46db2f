import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { MigrationError, Migrator, defaultMigrationsDir } from '../../src/prisma/migrator';
import { createTestDatabase } from '../helpers/database';

async function query<T extends object>(databaseUrl: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const migrator = (databaseUrl: string, migrationsDir = defaultMigrationsDir()) =>
  new Migrator({ databaseUrl, migrationsDir, log: () => undefined });

describe('Migrator', () => {
  let scratch: string;
  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'dumpstation-migrator-'));
  });
  afterEach(() => rm(scratch, { recursive: true, force: true }));

  it('applies every migration once, recording Prisma’s checksum, and then has nothing to do', async () => {
    const databaseUrl = await createTestDatabase();
    const names = (await readdir(defaultMigrationsDir(), { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name);

    expect(await migrator(databaseUrl).migrate()).toEqual({ applied: names, alreadyApplied: 0 });
    expect(await migrator(databaseUrl).migrate()).toEqual({ applied: [], alreadyApplied: names.length });

    const rows = await query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      databaseUrl,
      'SELECT migration_name, checksum, applied_steps_count FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
    );
    const expected = await Promise.all(
      names.map(async (name) => ({
        migration_name: name,
        checksum: createHash('sha256')
          .update(await readFile(join(defaultMigrationsDir(), name, 'migration.sql')))
          .digest('hex'),
        applied_steps_count: 1,
      })),
    );
    expect(rows).toEqual(expected);
  });

  it('serialises concurrent runs with an advisory lock: each migration recorded exactly once', async () => {
    const databaseUrl = await createTestDatabase();
    const results = await Promise.all([1, 2, 3].map(() => migrator(databaseUrl).migrate()));
    const appliedCounts = results.map((r) => r.applied.length).sort();
    expect(appliedCounts.filter((n) => n > 0)).toHaveLength(1);
    const rows = await query<{ n: number }>(
      databaseUrl,
      'SELECT count(*)::int AS n FROM _prisma_migrations GROUP BY migration_name',
    );
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });

  it('refuses to run when an applied migration file was edited, and says which and what to do', async () => {
    const databaseUrl = await createTestDatabase();
    await cp(defaultMigrationsDir(), scratch, { recursive: true });
    await migrator(databaseUrl, scratch).migrate();
    const [first] = (await readdir(scratch, { withFileTypes: true })).filter((d) => d.isDirectory());
    const file = join(scratch, first.name, 'migration.sql');
    await writeFile(file, `${await readFile(file, 'utf8')}\n-- an innocent-looking edit\n`);

    const attempt = migrator(databaseUrl, scratch).migrate();
    await expect(attempt).rejects.toBeInstanceOf(MigrationError);
    await expect(attempt).rejects.toThrow(
      new RegExp(`Migration ${first.name} was modified after it was applied.*new migration`),
    );
  });

  it('refuses to run when an applied migration is missing from the folder (an older release)', async () => {
    const databaseUrl = await createTestDatabase();
    await cp(defaultMigrationsDir(), scratch, { recursive: true });
    await mkdir(join(scratch, '29990101000000_future'));
    await writeFile(join(scratch, '29990101000000_future', 'migration.sql'), 'CREATE TABLE future_things (id int);');
    await migrator(databaseUrl, scratch).migrate();
    await rm(join(scratch, '29990101000000_future'), { recursive: true });

    await expect(migrator(databaseUrl, scratch).migrate()).rejects.toThrow(
      /29990101000000_future is applied .* folder is missing/,
    );
  });

  it('rolls a failing migration back whole: no partial tables, no success record, later runs can retry', async () => {
    const databaseUrl = await createTestDatabase();
    await mkdir(join(scratch, '20000101000000_broken'));
    await writeFile(
      join(scratch, '20000101000000_broken', 'migration.sql'),
      'CREATE TABLE half_done (id int);\nSELECT no_such_function();',
    );

    await expect(migrator(databaseUrl, scratch).migrate()).rejects.toThrow(
      /Migration 20000101000000_broken failed and was rolled back/,
    );
    expect(await query(databaseUrl, "SELECT 1 FROM pg_tables WHERE tablename = 'half_done'")).toEqual([]);
    expect(await query(databaseUrl, 'SELECT 1 FROM _prisma_migrations')).toEqual([]);

    await writeFile(join(scratch, '20000101000000_broken', 'migration.sql'), 'CREATE TABLE half_done (id int);');
    expect((await migrator(databaseUrl, scratch).migrate()).applied).toEqual(['20000101000000_broken']);
  });
});
