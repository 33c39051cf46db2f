import { Client } from 'pg';
import type { RunningPostgres } from '@dumpstation/testing';
import { bearer } from './auth';
import type { SignedInApp } from './signed-in';

/** A little of everything pg_dump must carry: types, constraints, a sequence, a view, a second schema. */
export const SEED_SQL = `
  CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL, email text UNIQUE,
    created_at timestamptz NOT NULL DEFAULT '2025-01-02 03:04:05+00', meta jsonb);
  CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int REFERENCES customers(id),
    total numeric(12,2), notes text, payload bytea);
  INSERT INTO customers (name, email, meta)
    SELECT 'customer ' || g || ' naïve ☃', 'c' || g || '@example.com', jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g))
    FROM generate_series(1, 300) g;
  INSERT INTO orders (customer_id, total, notes, payload)
    SELECT (g % 300) + 1, g * 1.25, repeat('x', g % 40), decode(md5(g::text), 'hex') FROM generate_series(1, 1500) g;
  CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;
  CREATE SCHEMA audit;
  CREATE TABLE audit.events (id int PRIMARY KEY, what text);
  INSERT INTO audit.events SELECT g, 'event ' || g FROM generate_series(1, 50) g;
`;

/** Runs one statement on `url` (with `$1…` parameters) and returns its rows. */
export async function sql(url: string, text: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Every base table's row count and content digest, keyed by schema.table. */
export async function tableContents(url: string): Promise<Record<string, string>> {
  const tables = await sql(
    url,
    `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
  );
  const contents: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await sql(
      url,
      `SELECT count(*) AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${name} t`,
    );
    contents[name as string] = `${row.n} rows, ${row.digest}`;
  }
  return contents;
}

/** A seeded database on `pg`; returns its URL and its database name. */
export async function seededDatabase(pg: RunningPostgres, seed = SEED_SQL): Promise<{ url: string; dbname: string }> {
  const url = await pg.createDatabase();
  await sql(url, seed);
  return { url, dbname: new URL(url).pathname.slice(1) };
}

/** Fields for POST /databases pointing at `dbname` on `pg`. */
export function databaseFields(pg: RunningPostgres, dbname: string) {
  return { host: pg.host, port: pg.port, dbname, user: pg.user, password: pg.password, sslmode: 'disable' };
}

/** The flat `target_*` fields of POST /backups/{id}/restore pointing at `dbname` on `pg`. */
export function restoreTarget(pg: RunningPostgres, dbname: string) {
  return {
    target_host: pg.host,
    target_port: pg.port,
    target_dbname: dbname,
    target_user: pg.user,
    target_password: pg.password,
    target_sslmode: 'disable',
  };
}

/** Polls `path` until its `status` is final; returns the final body. */
export async function waitForJob(
  app: SignedInApp,
  path: string,
  token = app.root.access_token,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await app.http().get(path).set(bearer(token));
    if (response.status !== 200)
      throw new Error(`${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    if (response.body.status === 'success' || response.body.status === 'failed') return response.body;
    if (Date.now() > deadline) throw new Error(`${path} still ${response.body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Backs the database up through HTTP and waits for the outcome. */
export async function backUp(app: SignedInApp, databaseId: string): Promise<Record<string, unknown>> {
  const started = await app.http().post(`/api/v1/databases/${databaseId}/backup`).set(bearer(app.root.access_token));
  if (started.status !== 202) throw new Error(`backup answered ${started.status}: ${JSON.stringify(started.body)}`);
  return waitForJob(app, `/api/v1/backups/${started.body.id}`);
}

/** Restores through HTTP and waits for the outcome. */
export async function restore(
  app: SignedInApp,
  backupId: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const started = await app
    .http()
    .post(`/api/v1/backups/${backupId}/restore`)
    .set(bearer(app.root.access_token))
    .send(body);
  if (started.status !== 202) throw new Error(`restore answered ${started.status}: ${JSON.stringify(started.body)}`);
  return waitForJob(app, `/api/v1/restores/${started.body.id}`);
}
