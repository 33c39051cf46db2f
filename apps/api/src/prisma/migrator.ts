import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

/** Any fixed 64-bit number works; it only has to be the same for every replica. */
const MIGRATION_LOCK_KEY = '7216530418730917303';

export interface MigratorOptions {
  databaseUrl: string;
  /** Folder holding `<timestamp>_<name>/migration.sql` (Prisma's layout). */
  migrationsDir: string;
  log: (message: string, extra?: object) => void;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

/** A reason not to start: the database and the migration files disagree. */
export class MigrationError extends Error {}

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Finds `prisma/migrations` above this file, whether it runs from src/ (ts) or dist/ (compiled). */
export function defaultMigrationsDir(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'prisma', 'migrations');
    if (existsSync(join(candidate, 'migration_lock.toml'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new MigrationError('Cannot find prisma/migrations: set MIGRATIONS_DIR');
    dir = parent;
  }
}

/**
 * Applies the hand-written SQL migrations and records them in Prisma's own
 * `_prisma_migrations` table, with Prisma's checksum (SHA-256 of the file), so
 * `prisma migrate deploy` agrees wherever its engine exists.
 */
export class Migrator {
  constructor(private readonly options: MigratorOptions) {}

  async migrate(): Promise<MigrationResult> {
    const files = this.readMigrationFiles();
    const client = new Client({ connectionString: this.options.databaseUrl, application_name: 'dumpstation-migrator' });
    await client.connect();
    try {
      // Replicas booting together queue here; the second finds everything applied.
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await this.ensureMigrationsTable(client);
      const { rows } = await client.query<MigrationRow>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at',
      );
      const pending = this.pendingMigrations(files, rows);
      for (const migration of pending) {
        await this.apply(client, migration);
      }
      return { applied: pending.map((m) => m.name), alreadyApplied: files.length - pending.length };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      await client.end();
    }
  }

  private readMigrationFiles(): MigrationFile[] {
    const { migrationsDir } = this.options;
    if (!existsSync(migrationsDir)) throw new MigrationError(`Migrations folder ${migrationsDir} does not exist`);
    return readdirSync(migrationsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
      .map((name) => {
        const path = join(migrationsDir, name, 'migration.sql');
        if (!existsSync(path)) throw new MigrationError(`Migration ${name} has no migration.sql`);
        const sql = readFileSync(path);
        return { name, sql: sql.toString('utf8'), checksum: createHash('sha256').update(sql).digest('hex') };
      });
  }

  private async ensureMigrationsTable(client: Client): Promise<void> {
    // Prisma's own definition of the table.
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum"            VARCHAR(64) NOT NULL,
      "finished_at"         TIMESTAMPTZ,
      "migration_name"      VARCHAR(255) NOT NULL,
      "logs"                TEXT,
      "rolled_back_at"      TIMESTAMPTZ,
      "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
  }

  /** Checks the recorded history against the files and returns what is left to apply, in order. */
  private pendingMigrations(files: MigrationFile[], rows: MigrationRow[]): MigrationFile[] {
    const byName = new Map(files.map((file) => [file.name, file]));
    const applied = new Set<string>();
    for (const row of rows) {
      if (row.rolled_back_at) continue;
      if (!row.finished_at) {
        throw new MigrationError(
          `Migration ${row.migration_name} failed in an earlier attempt and is recorded as unfinished. ` +
            'Repair the database by hand, then delete its row from _prisma_migrations (or mark it rolled back).',
        );
      }
      const file = byName.get(row.migration_name);
      if (!file) {
        throw new MigrationError(
          `Migration ${row.migration_name} is applied to the database but its folder is missing from ${this.options.migrationsDir}. ` +
            'Is this an older release than the one that migrated the database?',
        );
      }
      if (file.checksum !== row.checksum) {
        throw new MigrationError(
          `Migration ${row.migration_name} was modified after it was applied: its file changed ` +
            `(checksum ${file.checksum.slice(0, 12)}…, applied ${row.checksum.slice(0, 12)}…). ` +
            'Applied migrations must never change: restore the original file and put the change in a new migration.',
        );
      }
      applied.add(row.migration_name);
    }
    return files.filter((file) => !applied.has(file.name));
  }

  private async apply(client: Client, migration: MigrationFile): Promise<void> {
    this.options.log(`Applying migration ${migration.name}`);
    const id = randomUUID();
    try {
      await client.query('BEGIN');
      await client.query(
        'INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
        [id, migration.checksum, migration.name],
      );
      await client.query(migration.sql);
      await client.query('UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [
        id,
      ]);
      await client.query('COMMIT');
    } catch (error) {
      // The whole migration and its record roll back together: nothing is half-applied.
      await client.query('ROLLBACK').catch(() => undefined);
      throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`);
    }
  }
}
