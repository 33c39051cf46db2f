import type { Client } from 'pg';
import { quoteIdent, quoteLiteral, withPgClient, type PgConnection } from './pg-connection';

/** PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes. */
const MAX_NAME_BYTES = 63;
/** A list GUC's stored value is already a list in SQL syntax; any other value is one literal. */
const LIST_SETTINGS = new Set([
  'search_path',
  'temp_tablespaces',
  'session_preload_libraries',
  'local_preload_libraries',
]);

/** `<base><suffix>` within 63 bytes: the base is shortened (never in the middle of a character). */
export function derivedName(base: string, suffix: string): string {
  const room = MAX_NAME_BYTES - Buffer.byteLength(suffix);
  let out = '';
  for (const char of base) {
    if (Buffer.byteLength(out + char) > room) break;
    out += char;
  }
  return out + suffix;
}

/** `20261201T201231` (UTC): sorts by time, and names a kept database readably. */
export const nameStamp = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');

/**
 * A session on the target's server outside the target database (its maintenance database
 * `postgres`, else `template1`): creating, renaming and dropping a database happen from there.
 */
export async function withServerClient<T>(conn: PgConnection, use: (client: Client) => Promise<T>): Promise<T> {
  try {
    return await withPgClient({ ...conn, dbname: 'postgres' }, use);
  } catch (error) {
    const code = (error as { code?: string }).code;
    // No `postgres` database, or no CONNECT on it.
    if (code !== '3D000' && code !== '42501') throw error;
    return withPgClient({ ...conn, dbname: 'template1' }, use);
  }
}

export async function databaseExists(client: Client, name: string): Promise<boolean> {
  const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rows.length > 0;
}

/** The schemas a database has (to create only the missing ones in a partial restore). */
export async function schemasOf(conn: PgConnection): Promise<Set<string>> {
  return withPgClient(conn, async (client) => {
    const { rows } = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace');
    return new Set(rows.map((r) => r.nspname));
  });
}

/**
 * Why the connected role cannot replace `name` by a fresh copy (CREATE DATABASE needs CREATEDB,
 * ALTER DATABASE … RENAME needs ownership and CREATEDB), or null when it can.
 */
export async function swapRefusal(client: Client, name: string): Promise<string | null> {
  const { rows } = await client.query<{ createdb: boolean; owner: boolean; role: string }>(
    `SELECT r.rolsuper OR r.rolcreatedb AS createdb, pg_has_role(r.oid, d.datdba, 'USAGE') AS owner, r.rolname AS role
       FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = $1`,
    [name],
  );
  if (rows.length === 0) return `database "${name}" was not found`;
  const [{ createdb, owner, role }] = rows;
  const missing = [!createdb && 'CREATEDB', !owner && `ownership of database "${name}"`].filter(Boolean);
  return missing.length ? `role "${role}" lacks ${missing.join(' and ')}` : null;
}

/**
 * Creates `fresh` as a copy of `like`'s database-level definition, without its contents: owner,
 * encoding, collation, locale provider, tablespace, connection limit, privileges, settings and
 * comment (what pg_restore without --create does not carry).
 */
export async function createDatabaseLike(client: Client, fresh: string, like: string): Promise<void> {
  const version = Number(
    (await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0].v,
  );
  const icuColumn = version >= 170000 ? 'd.datlocale' : version >= 150000 ? 'd.daticulocale' : 'NULL';
  const providerColumn = version >= 150000 ? 'd.datlocprovider' : "'c'";
  const { rows } = await client.query<{
    oid: number;
    owner: string;
    encoding: string;
    collate: string;
    ctype: string;
    provider: string;
    icu: string | null;
    tablespace: string;
    connlimit: number;
    acl: boolean;
    comment: string | null;
    own: boolean;
  }>(
    `SELECT d.oid, pg_get_userbyid(d.datdba) AS owner, pg_encoding_to_char(d.encoding) AS encoding,
            d.datcollate AS collate, d.datctype AS ctype, ${providerColumn} AS provider, ${icuColumn} AS icu,
            t.spcname AS tablespace, d.datconnlimit AS connlimit, d.datacl IS NOT NULL AS acl,
            shobj_description(d.oid, 'pg_database') AS comment, pg_get_userbyid(d.datdba) = current_user AS own
       FROM pg_database d JOIN pg_tablespace t ON t.oid = d.dattablespace WHERE d.datname = $1`,
    [like],
  );
  if (rows.length === 0) throw new Error(`Database "${like}" does not exist`);
  const d = rows[0];
  const options = [
    'TEMPLATE template0',
    `ENCODING ${quoteLiteral(d.encoding)}`,
    `LC_COLLATE ${quoteLiteral(d.collate)}`,
    `LC_CTYPE ${quoteLiteral(d.ctype)}`,
    ...(d.provider === 'i' && d.icu ? [`LOCALE_PROVIDER icu`, `ICU_LOCALE ${quoteLiteral(d.icu)}`] : []),
    ...(d.tablespace !== 'pg_default' ? [`TABLESPACE ${quoteIdent(d.tablespace)}`] : []),
    ...(d.own ? [] : [`OWNER ${quoteIdent(d.owner)}`]),
    `CONNECTION LIMIT ${d.connlimit}`,
  ];
  await client.query(`CREATE DATABASE ${quoteIdent(fresh)} ${options.join(' ')}`);
  const statements: string[] = [];
  if (d.acl) {
    // The same grants as `like` has (a NULL datacl is the default, which a new database has too).
    statements.push(`REVOKE ALL ON DATABASE ${quoteIdent(fresh)} FROM PUBLIC`);
    const grants = await client.query<{ grantee: string | null; privilege: string; grantable: boolean }>(
      `SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END AS grantee,
              a.privilege_type AS privilege, a.is_grantable AS grantable
         FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = $1`,
      [like],
    );
    for (const g of grants.rows) {
      statements.push(
        `GRANT ${g.privilege} ON DATABASE ${quoteIdent(fresh)} TO ${g.grantee === null ? 'PUBLIC' : quoteIdent(g.grantee)}${g.grantable ? ' WITH GRANT OPTION' : ''}`,
      );
    }
  }
  const settings = await client.query<{ role: string | null; setting: string }>(
    `SELECT CASE WHEN s.setrole = 0 THEN NULL ELSE pg_get_userbyid(s.setrole) END AS role, unnest(s.setconfig) AS setting
       FROM pg_db_role_setting s WHERE s.setdatabase = $1`,
    [d.oid],
  );
  for (const { role, setting } of settings.rows) {
    const at = setting.indexOf('=');
    const [name, value] = [setting.slice(0, at), setting.slice(at + 1)];
    const sqlValue = LIST_SETTINGS.has(name.toLowerCase()) ? value : quoteLiteral(value);
    statements.push(
      role === null
        ? `ALTER DATABASE ${quoteIdent(fresh)} SET ${quoteIdent(name)} TO ${sqlValue}`
        : `ALTER ROLE ${quoteIdent(role)} IN DATABASE ${quoteIdent(fresh)} SET ${quoteIdent(name)} TO ${sqlValue}`,
    );
  }
  if (d.comment !== null) statements.push(`COMMENT ON DATABASE ${quoteIdent(fresh)} IS ${quoteLiteral(d.comment)}`);
  try {
    for (const statement of statements) await client.query(statement);
  } catch (error) {
    await dropDatabase(client, fresh).catch(() => undefined);
    throw new Error(`Cannot copy the settings of database "${like}": ${(error as Error).message}`, { cause: error });
  }
}

/** Ends the other sessions on `name` that this role may end; the number of sessions left. */
async function terminateSessions(client: Client, name: string): Promise<number> {
  const { rows } = await client.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [name],
  );
  for (const { pid } of rows) {
    // A superuser's session cannot be ended by others: that one is then left to say so.
    await client.query('SELECT pg_terminate_backend($1)', [pid]).catch(() => undefined);
  }
  return rows.length;
}

async function sessionCount(client: Client, name: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [name],
  );
  return Number(rows[0].n);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `name` has no other sessions, up to `ms`; true when it has none. */
async function drained(client: Client, name: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if ((await sessionCount(client, name)) === 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(200, Math.max(0, deadline - Date.now())));
  }
}

/** Drops a database, ending its sessions first. */
export async function dropDatabase(client: Client, name: string): Promise<void> {
  await terminateSessions(client, name);
  await drained(client, name, 5_000);
  await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
}

/**
 * The short exclusive step of a swap restore: `target` becomes `kept`, `fresh` becomes `target`.
 * New connections to `target` are refused at once (ALLOW_CONNECTIONS false); open sessions get
 * `graceMs` to end, then are terminated. Both renames commit together, so the name `target`
 * always names a whole database: the old one (on any failure here) or the restored one.
 */
export async function swapDatabases(
  client: Client,
  target: string,
  fresh: string,
  kept: string,
  graceMs: number,
): Promise<void> {
  await client.query(`ALTER DATABASE ${quoteIdent(target)} WITH ALLOW_CONNECTIONS false`);
  try {
    if (!(await drained(client, target, graceMs))) {
      await terminateSessions(client, target);
      await drained(client, target, 5_000);
    }
    await client.query('BEGIN');
    try {
      await client.query(`ALTER DATABASE ${quoteIdent(target)} RENAME TO ${quoteIdent(kept)}`);
      await client.query(`ALTER DATABASE ${quoteIdent(fresh)} RENAME TO ${quoteIdent(target)}`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      const left = await sessionCount(client, target).catch(() => 0);
      throw new Error(
        `Cannot swap the restored copy in: ${(error as Error).message}${left ? ` (${left} session(s) on "${target}" could not be ended)` : ''}`,
        { cause: error },
      );
    }
  } catch (error) {
    await client.query(`ALTER DATABASE ${quoteIdent(target)} WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
    throw error;
  }
  // The kept copy takes connections again (to be inspected, or dropped later).
  await client.query(`ALTER DATABASE ${quoteIdent(kept)} WITH ALLOW_CONNECTIONS true`);
}
