import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { bearer } from '../helpers/auth';
import { backUp, databaseFields, restore, restoreTarget, sql, tableContents } from '../helpers/engine';
import { createBucket, s3Settings } from '../helpers/s3';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

/** A partitioned table with a primary key (what `pg_restore --clean` cannot drop), keys, indexes, a trigger, grants. */
const PARTITIONED_SQL = `
  CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL, email text UNIQUE);
  CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, at date NOT NULL,
    customer_id int REFERENCES customers(id), what text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
  CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
  CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
  CREATE INDEX events_what_idx ON events (what);
  CREATE TABLE event_notes (event_id bigint, at date, note text, FOREIGN KEY (event_id, at) REFERENCES events);
  CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.name := trim(NEW.name); RETURN NEW; END$$;
  CREATE TRIGGER customers_touch BEFORE INSERT ON customers FOR EACH ROW EXECUTE FUNCTION touch();
  CREATE SCHEMA audit;
  CREATE TABLE audit.log (id int PRIMARY KEY, what text);
  INSERT INTO customers (name, email) SELECT ' customer ' || g, 'c' || g || '@example.com' FROM generate_series(1, 40) g;
  INSERT INTO events (at, customer_id, what)
    SELECT date '2025-06-01' + (g * 2), (g % 40) + 1, 'event ' || g FROM generate_series(1, 200) g;
  INSERT INTO event_notes SELECT id, at, 'note ' || id FROM events WHERE id % 10 = 0;
  INSERT INTO audit.log SELECT g, 'log ' || g FROM generate_series(1, 25) g;
  GRANT SELECT ON customers TO analyst;
  GRANT USAGE ON SCHEMA audit TO analyst;
  GRANT SELECT, INSERT ON audit.log TO analyst;
`;

/** Tables, indexes, constraints, triggers, privileges and every table's contents: equal means the same database. */
async function fingerprint(url: string): Promise<Record<string, unknown>> {
  const [catalog] = await sql(
    url,
    `SELECT string_agg(line, E'\\n' ORDER BY line) AS lines FROM (
       SELECT 'rel ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || coalesce(c.relacl::text, '-') AS line
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
       UNION ALL
       SELECT 'con ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
         FROM pg_constraint WHERE connamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
       UNION ALL
       SELECT 'idx ' || pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'pg_toast'::regnamespace, 'information_schema'::regnamespace)
       UNION ALL
       SELECT 'trg ' || tgrelid::regclass || ' ' || tgname || ' ' || tgenabled::text FROM pg_trigger WHERE NOT tgisinternal
       UNION ALL
       SELECT 'nsp ' || nspname || ' ' || coalesce(nspacl::text, '-') FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'
     ) t`,
  );
  return { catalog: catalog.lines, contents: await tableContents(url) };
}

const exists = async (pg: RunningPostgres, dbname: string) =>
  (await sql(pg.adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [dbname])).length === 1;

// Issue 11, findings 1-5 and single_transaction: restores that never damage a database and never
// report what did not happen, through HTTP on a real PostgreSQL 15.
describe('restores that never damage a database', () => {
  let app: SignedInApp;
  let pg: RunningPostgres;
  let storageId: string;
  const auth = () => bearer(app.root.access_token);
  let counter = 0;

  /** A database on `pg` seeded with `seed`, registered, backed up; the backup's id. */
  async function backedUp(seed: string, fields: Record<string, unknown> = {}) {
    const dbname = `src_${++counter}`;
    await sql(pg.adminUrl, `CREATE DATABASE ${dbname}`);
    const url = pg.urlFor(dbname);
    await sql(url, seed);
    const databaseId = (
      await app
        .http()
        .post('/api/v1/databases')
        .set(auth())
        .send({ name: dbname, ...databaseFields(pg, dbname), storage_id: storageId, ...fields })
        .expect(201)
    ).body.id as string;
    const backup = await backUp(app, databaseId);
    expect(backup.status).toBe('success');
    return { dbname, url, databaseId, backupId: backup.id as string };
  }

  beforeAll(async () => {
    let bucket: string;
    [app, pg, bucket] = await Promise.all([startSignedIn(), startPostgres({ major: 15 }), createBucket('restores')]);
    await sql(pg.adminUrl, 'CREATE ROLE analyst');
    storageId = (
      await app
        .http()
        .post('/api/v1/storage')
        .set(auth())
        .send({ name: 's3', ...s3Settings(bucket) })
        .expect(201)
    ).body.id;
  }, 60_000);
  afterAll(async () => {
    await app?.api.close();
    await pg?.stop();
  });

  it('clean into the source with a partitioned table: swaps in the backup whole, keeps the previous database, keeps grants', async () => {
    const source = await backedUp(PARTITIONED_SQL);
    const atBackup = await fingerprint(source.url);
    // Database-level grants and settings live outside the archive: the swap carries them over.
    await sql(source.url, `ALTER DATABASE ${source.dbname} SET work_mem = '8MB'`);
    await sql(source.url, `REVOKE CONNECT ON DATABASE ${source.dbname} FROM PUBLIC`);
    await sql(source.url, `GRANT CONNECT ON DATABASE ${source.dbname} TO analyst`);
    // Changes after the backup, which the restore must undo.
    await sql(source.url, `DELETE FROM event_notes; UPDATE customers SET name = 'changed'; CREATE TABLE later (x int)`);
    const changed = await fingerprint(source.url);

    const restored = await restore(app, source.backupId, { clean: true });
    expect(restored).toMatchObject({ status: 'success', strategy: 'swap', no_owner: false, no_privileges: false });
    expect(restored.kept_database).toMatch(new RegExp(`^${source.dbname}_before_\\d{8}T\\d{6}$`));
    expect(await fingerprint(source.url)).toEqual(atBackup);
    const [grants] = await sql(
      source.url,
      `SELECT has_table_privilege('analyst', 'customers', 'SELECT') AS customers,
              has_table_privilege('analyst', 'audit.log', 'INSERT') AS log,
              has_database_privilege('analyst', current_database(), 'CONNECT') AS connect_analyst,
              (SELECT datacl::text FROM pg_database WHERE datname = current_database()) AS acl,
              current_setting('work_mem') AS work_mem`,
    );
    expect(grants).toMatchObject({ customers: true, log: true, connect_analyst: true, work_mem: '8MB' });
    expect(grants.acl).not.toMatch(/[{,]=[A-Za-z]*c/); // PUBLIC has no CONNECT
    // The previous database, as it was just before the restore.
    expect(await fingerprint(pg.urlFor(restored.kept_database as string))).toEqual(changed);
  });

  it('single_transaction: a failure leaves the target exactly as it was', async () => {
    const source = await backedUp(PARTITIONED_SQL);
    // pg_restore --clean cannot drop the partitions' inherited primary keys: it fails part-way.
    await sql(source.url, `INSERT INTO audit.log VALUES (1000, 'after the backup')`);
    const before = await fingerprint(source.url);
    const failed = await restore(app, source.backupId, { clean: true, single_transaction: true });
    expect(await fingerprint(source.url)).toEqual(before);
    expect(failed).toMatchObject({ status: 'failed', strategy: 'single_transaction' });
    expect(failed.error_message).toMatch(/was not changed/);

    // A conflicting object in another target: nothing of the backup stays there either.
    await sql(pg.adminUrl, 'CREATE DATABASE occupied');
    await sql(pg.urlFor('occupied'), 'CREATE TABLE event_notes (id int); INSERT INTO event_notes VALUES (1)');
    const occupied = await fingerprint(pg.urlFor('occupied'));
    const conflict = await restore(app, source.backupId, {
      ...restoreTarget(pg, 'occupied'),
      single_transaction: true,
    });
    expect(await fingerprint(pg.urlFor('occupied'))).toEqual(occupied);
    expect(conflict).toMatchObject({ status: 'failed', strategy: 'single_transaction' });
    expect(conflict.error_message).toMatch(/already exists/);
  });

  it('into an existing database without clean: all or nothing by default', async () => {
    const source = await backedUp(PARTITIONED_SQL);
    await sql(pg.adminUrl, 'CREATE DATABASE half_occupied');
    await sql(pg.urlFor('half_occupied'), 'CREATE TABLE event_notes (id int)');
    const before = await fingerprint(pg.urlFor('half_occupied'));
    const failed = await restore(app, source.backupId, { ...restoreTarget(pg, 'half_occupied') });
    expect(await fingerprint(pg.urlFor('half_occupied'))).toEqual(before);
    expect(failed).toMatchObject({ status: 'failed', strategy: 'single_transaction' });
  });

  it('schemas into a new database: the schema itself comes too', async () => {
    const source = await backedUp(PARTITIONED_SQL);
    const restored = await restore(app, source.backupId, {
      ...restoreTarget(pg, 'only_audit'),
      create: true,
      schemas: ['audit'],
    });
    expect(restored).toMatchObject({ status: 'success', strategy: 'direct' });
    const contents = await tableContents(pg.urlFor('only_audit'));
    expect(Object.keys(contents)).toEqual(['audit.log']);
    expect(contents['audit.log']).toBe((await tableContents(source.url))['audit.log']);
  });

  it('schema.table into a new database: rows, partitions, keys, indexes and sequences', async () => {
    const source = await backedUp(PARTITIONED_SQL);
    const restored = await restore(app, source.backupId, {
      ...restoreTarget(pg, 'two_tables'),
      create: true,
      tables: ['public.customers', 'public.events', 'audit.log'],
    });
    expect(restored.status).toBe('success');
    const url = pg.urlFor('two_tables');
    const contents = await tableContents(url);
    const original = await tableContents(source.url);
    expect(Object.keys(contents)).toEqual([
      'audit.log',
      'public.customers',
      'public.events',
      'public.events_2025',
      'public.events_2026',
    ]);
    for (const name of Object.keys(contents)) expect(contents[name]).toBe(original[name]);
    const constraints = await sql(
      url,
      `SELECT conrelid::regclass::text || ' ' || conname AS c FROM pg_constraint
        WHERE connamespace IN ('public'::regnamespace, 'audit'::regnamespace) AND contype IN ('p', 'u', 'f') ORDER BY 1`,
    );
    expect(constraints.map((r) => r.c)).toEqual([
      'audit.log log_pkey',
      'customers customers_email_key',
      'customers customers_pkey',
      'events events_customer_id_fkey',
      'events events_pkey',
      'events_2025 events_2025_pkey',
      'events_2025 events_customer_id_fkey',
      'events_2026 events_2026_pkey',
      'events_2026 events_customer_id_fkey',
    ]);
    // The serial's sequence came with its value: the next row gets the next id.
    const [next] = await sql(url, `INSERT INTO customers (name) VALUES ('new') RETURNING id`);
    expect(next.id).toBe(41);
    // The trigger calls a function that was not restored: left out, as documented.
    expect(await sql(url, 'SELECT tgname FROM pg_trigger WHERE NOT tgisinternal')).toEqual([]);
  });

  it('an unknown table or schema: 400 naming it, nothing created', async () => {
    const source = await backedUp(PARTITIONED_SQL);
    const response = await app
      .http()
      .post(`/api/v1/backups/${source.backupId}/restore`)
      .set(auth())
      .send({
        ...restoreTarget(pg, 'never_made'),
        create: true,
        tables: ['public.app_settings', 'customers'],
        schemas: ['nope'],
      });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('NOT_IN_BACKUP');
    expect(response.body.message).toContain('public.app_settings');
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'schemas[0]',
      'tables[0]',
      'tables[1]',
    ]);
    expect(await exists(pg, 'never_made')).toBe(false);
    const restores = await sql(
      app.api.databaseUrl,
      `SELECT count(*)::int AS n FROM restores WHERE target_dbname = 'never_made'`,
    );
    expect(restores[0].n).toBe(0);
  });

  it.each(['qa=copy', "we\"ird 'name'"])('a target database named %s', async (dbname) => {
    const source = await backedUp(PARTITIONED_SQL);
    const restored = await restore(app, source.backupId, { ...restoreTarget(pg, dbname), create: true });
    expect(restored).toMatchObject({ status: 'success', strategy: 'direct', error_message: null });
    const url = pg.urlFor(dbname);
    expect(await tableContents(url)).toEqual(await tableContents(source.url));
    // And a clean restore over it swaps, names quoted throughout.
    const again = await restore(app, source.backupId, { ...restoreTarget(pg, dbname), clean: true });
    expect(again).toMatchObject({ status: 'success', strategy: 'swap' });
    expect(await exists(pg, again.kept_database as string)).toBe(true);
  });

  it('create: a failure drops the database it created, so a retry works', async () => {
    const source = await backedUp(`${PARTITIONED_SQL}; CREATE ROLE gone; GRANT SELECT ON customers TO gone;`);
    await sql(source.url, 'REVOKE SELECT ON customers FROM gone; DROP ROLE gone');
    // The backup grants to a role the server no longer has: restoring privileges fails.
    const failed = await restore(app, source.backupId, {
      ...restoreTarget(pg, 'retry_me'),
      create: true,
      no_privileges: false,
    });
    expect(await exists(pg, 'retry_me')).toBe(false);
    expect(failed).toMatchObject({ status: 'failed', strategy: 'direct', no_privileges: false });
    expect(failed.error_message).toMatch(/role "gone" does not exist.*dropped again/s);
    const retried = await restore(app, source.backupId, { ...restoreTarget(pg, 'retry_me'), create: true });
    expect(retried).toMatchObject({ status: 'success', no_owner: true, no_privileges: true });
  });

  it('a role that may not swap: one transaction instead, and the answer says why', async () => {
    await sql(pg.adminUrl, `CREATE ROLE restorer LOGIN PASSWORD 'restorer' NOCREATEDB`);
    await sql(pg.adminUrl, 'CREATE DATABASE owned_by_restorer OWNER restorer');
    const url = pg.urlFor('owned_by_restorer').replace(/\/\/[^@]+@/, '//restorer:restorer@');
    await sql(
      url,
      `CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes VALUES (1, 'one'), (2, 'two')`,
    );
    const databaseId = (
      await app
        .http()
        .post('/api/v1/databases')
        .set(auth())
        .send({
          name: 'restorer-db',
          ...databaseFields(pg, 'owned_by_restorer'),
          user: 'restorer',
          password: 'restorer',
          storage_id: storageId,
        })
        .expect(201)
    ).body.id as string;
    const backup = await backUp(app, databaseId);
    const atBackup = await fingerprint(url);
    await sql(url, `UPDATE notes SET body = 'changed'`);
    const restored = await restore(app, backup.id as string, { clean: true });
    expect(restored).toMatchObject({ status: 'success', strategy: 'single_transaction', kept_database: null });
    expect(restored.strategy_note).toMatch(/lacks CREATEDB/);
    expect(await fingerprint(url)).toEqual(atBackup);
  });
});
