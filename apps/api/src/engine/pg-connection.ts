import { Client, type ClientConfig } from 'pg';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** How to reach a PostgreSQL database; the password in plain text only in memory. */
export interface PgConnection {
  host: string;
  port: number;
  dbname: string;
  user: string;
  password: string | null;
  sslmode: SslMode;
}

export interface ServerInfo {
  versionNum: number;
  /** e.g. "15.18" or "16.14 (Debian 16.14-1)" */
  version: string;
}

/**
 * The environment for pg_dump/pg_restore: libpq reads it, so the password is never in argv
 * (visible in `ps`) and sslmode means exactly what libpq says it means.
 */
export function libpqEnvironment(conn: PgConnection): Record<string, string> {
  return {
    PGHOST: conn.host,
    PGPORT: String(conn.port),
    PGDATABASE: conn.dbname,
    PGUSER: conn.user,
    ...(conn.password ? { PGPASSWORD: conn.password } : {}),
    PGSSLMODE: conn.sslmode,
    PGCONNECT_TIMEOUT: '15',
    PGAPPNAME: 'dumpstation',
  };
}

/** An SQL identifier, quoted: any name (with `=`, `"`, spaces, capitals) is one identifier. */
export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** An SQL string literal (an escape string when it holds backslashes, whatever standard_conforming_strings says). */
export const quoteLiteral = (value: string) =>
  value.includes('\\')
    ? `E'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`
    : `'${value.replaceAll("'", "''")}'`;

/**
 * A libpq connection string naming only the database, for a tool's `--dbname`: the value quoted
 * as libpq reads it, so `qa=copy` or `it's` is a database name and never connection options.
 * Everything else (host, port, user, password, sslmode) still comes from libpqEnvironment.
 */
export const dbnameConninfo = (dbname: string) => `dbname='${dbname.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

function clientConfig(conn: PgConnection, tls: boolean): ClientConfig {
  const ssl = !tls
    ? false
    : conn.sslmode === 'verify-full'
      ? { rejectUnauthorized: true }
      : conn.sslmode === 'verify-ca'
        ? // The chain must verify; the host name need not match (libpq's verify-ca).
          { rejectUnauthorized: true, checkServerIdentity: () => undefined }
        : { rejectUnauthorized: false };
  return {
    host: conn.host,
    port: conn.port,
    database: conn.dbname,
    user: conn.user,
    password: conn.password ?? undefined,
    ssl,
    connectionTimeoutMillis: 15_000,
    application_name: 'dumpstation',
  };
}

const NO_SSL = /does not support SSL/i;

/**
 * Connects as libpq would for the sslmode: `require` and `verify-*` never fall back to plain
 * text; `prefer` tries TLS first and `allow` plain text first, each falling back to the other.
 */
export async function withPgClient<T>(conn: PgConnection, use: (client: Client) => Promise<T>): Promise<T> {
  const attempts: boolean[] =
    conn.sslmode === 'disable'
      ? [false]
      : conn.sslmode === 'allow'
        ? [false, true]
        : conn.sslmode === 'prefer'
          ? [true, false]
          : [true];
  let lastError: unknown;
  for (const tls of attempts) {
    const client = new Client(clientConfig(conn, tls));
    try {
      await client.connect();
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      const retryable = tls
        ? NO_SSL.test((error as Error).message)
        : /SSL|no pg_hba.conf entry/i.test((error as Error).message);
      if (retryable) continue;
      throw error;
    }
    try {
      return await use(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw lastError;
}

export function readServerInfo(conn: PgConnection): Promise<ServerInfo> {
  return withPgClient(conn, async (client) => {
    const { rows } = await client.query<{ num: string; version: string }>(
      "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version",
    );
    return { versionNum: Number(rows[0].num), version: rows[0].version };
  });
}

/** A connection failure in words an operator can act on (never the password). */
export function describeConnectionError(error: unknown, conn: PgConnection): string {
  const err = error as { code?: string; message?: string };
  const where = `${conn.host}:${conn.port}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `Cannot reach ${where}: connection refused (is PostgreSQL running and listening there?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot resolve host ${conn.host}`;
    case 'ETIMEDOUT':
      return `Timed out connecting to ${where}`;
    case '28P01':
      return `Password authentication failed for user "${conn.user}"`;
    case '28000':
      return `The server refused user "${conn.user}": ${err.message}`;
    case '3D000':
      return `Database "${conn.dbname}" does not exist on ${where}`;
    default:
      if (NO_SSL.test(err.message ?? ''))
        return `The server at ${where} does not support TLS, and sslmode ${conn.sslmode} requires it`;
      return `Cannot connect to ${where}: ${err.message ?? String(error)}`;
  }
}
