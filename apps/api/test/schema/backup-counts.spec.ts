import { Client } from 'pg';
import { Migrator, defaultMigrationsDir } from '../../src/prisma/migrator';
import { createTestDatabase } from '../helpers/database';

// Issue 14: backup_counts (per database and status), kept by statement triggers on backups, is the
// total of GET /databases/{id}/backups. It must equal count(*) after every kind of change.
describe('backup_counts follows the backups table', () => {
  let databaseUrl: string;
  let client: Client;
  let tenant: string;
  let storage: string;
  const databases: string[] = [];

  const counted = async () =>
    (
      await client.query(
        `SELECT database_id, status::text, count(*)::int AS total FROM backups
         GROUP BY 1, 2 ORDER BY 1, 2`,
      )
    ).rows;
  const kept = async () =>
    (await client.query('SELECT database_id, status::text, total FROM backup_counts ORDER BY 1, 2')).rows;
  const insert = (database: string, n: number, status = 'success') =>
    client.query(
      `INSERT INTO backups (id, tenant_id, database_id, storage_id, status, trigger, name, updated_at)
       SELECT gen_random_uuid(), $1, $2, $3, $4::job_status, 'manual', 'b-' || g, now()
       FROM generate_series(1, $5::int) g`,
      [tenant, database, storage, status, n],
    );

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('counts');
    await new Migrator({ databaseUrl, migrationsDir: defaultMigrationsDir(), log: () => undefined }).migrate();
    client = new Client({ connectionString: databaseUrl });
    await client.connect();
    tenant = (
      await client.query(
        "INSERT INTO tenants (id, name, slug, updated_at) VALUES (gen_random_uuid(), 't', 't', now()) RETURNING id",
      )
    ).rows[0].id;
    storage = (
      await client.query(
        `INSERT INTO storages (id, tenant_id, name, provider, updated_at)
         VALUES (gen_random_uuid(), $1, 's', 'local', now()) RETURNING id`,
        [tenant],
      )
    ).rows[0].id;
    for (const name of ['a', 'b']) {
      databases.push(
        (
          await client.query(
            `INSERT INTO databases (id, tenant_id, name, host, dbname, username, storage_id, updated_at)
             VALUES (gen_random_uuid(), $1, $2, 'h', 'd', 'u', $3, now()) RETURNING id`,
            [tenant, name, storage],
          )
        ).rows[0].id,
      );
    }
  });
  afterAll(() => client?.end());

  it('counts inserts, one row or many per statement', async () => {
    await insert(databases[0], 5);
    await insert(databases[0], 1, 'pending');
    await insert(databases[1], 3, 'failed');
    expect(await kept()).toEqual(await counted());
  });

  it('moves a backup between statuses, and ignores updates that change neither status nor database', async () => {
    await client.query("UPDATE backups SET status = 'running' WHERE status = 'pending'");
    await client.query("UPDATE backups SET bytes_processed = bytes_processed + 1 WHERE status = 'running'");
    await client.query(
      "UPDATE backups SET status = 'deleted' WHERE id IN (SELECT id FROM backups WHERE status = 'success' LIMIT 2)",
    );
    expect(await kept()).toEqual(await counted());
  });

  it('counts deletes, and drops totals that reach zero', async () => {
    await client.query("DELETE FROM backups WHERE status = 'running'");
    expect(await kept()).toEqual(await counted());
    expect((await kept()).some((row) => row.status === 'running')).toBe(false);
  });

  it('follows a database deletion cascading to its backups, and a truncate', async () => {
    await client.query('DELETE FROM databases WHERE id = $1', [databases[1]]);
    expect(await kept()).toEqual(await counted());
    expect((await kept()).some((row) => row.database_id === databases[1])).toBe(false);
    await client.query('TRUNCATE backups CASCADE');
    expect(await kept()).toEqual([]);
    await insert(databases[0], 2);
    expect(await kept()).toEqual(await counted());
  });

  it('stays exact under concurrent inserts and status changes', async () => {
    const others = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const other = new Client({ connectionString: databaseUrl });
        await other.connect();
        return other;
      }),
    );
    try {
      await Promise.all(
        others.map(async (other, i) => {
          for (let round = 0; round < 5; round++) {
            await other.query('BEGIN');
            await other.query(
              `INSERT INTO backups (id, tenant_id, database_id, storage_id, status, trigger, name, updated_at)
               VALUES (gen_random_uuid(), $1, $2, $3, 'pending', 'manual', $4, now())`,
              [tenant, databases[0], storage, `c-${i}-${round}`],
            );
            await other.query("UPDATE backups SET status = 'success' WHERE name = $1", [`c-${i}-${round}`]);
            await other.query('COMMIT');
          }
        }),
      );
    } finally {
      await Promise.all(others.map((other) => other.end()));
    }
    expect(await kept()).toEqual(await counted());
  });
});
