import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { DigestStream } from './digest';
import { withPgClient, type PgConnection } from './pg-connection';
import { PgToolError, runPgTool } from './pg-tool-process';
import { IntegrityError } from './restore-pipeline';
import type { ObjectStore } from './storage/object-store';

/**
 * The cluster's roles beside each dump (issue 11, finding 6). pg_dump writes `GRANT … TO analyst`
 * but never `CREATE ROLE analyst`: roles belong to the cluster, not the database. So each backup
 * also stores `pg_dumpall --roles-only` (without passwords unless asked), encrypted like the dump,
 * and a restore can create the roles its target server lacks from it, never touching existing ones.
 */

/** A roles script is a few KiB; anything this large is not one. */
const MAX_ROLES_BYTES = 64 * 1024 * 1024;

/** A value for a libpq conninfo string: pg_dumpall expands its `--database` as one. */
export function connInfoValue(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/**
 * pg_dumpall's arguments for the roles of the cluster `dbname` is on. `--database` names the
 * database it connects to (by default `postgres`, which the user may not be allowed into); it is
 * passed as a conninfo `dbname='…'`, so names with `=`, quotes or spaces stay one name.
 */
export function pgDumpallArguments(dbname: string, passwords: boolean): string[] {
  return [
    '--roles-only',
    '--no-password',
    ...(passwords ? [] : ['--no-role-passwords']),
    `--database=dbname=${connInfoValue(dbname)}`,
  ];
}

export interface RolesDumpPlan {
  /** Absolute path of the pg_dumpall to run (from PgClientResolver). */
  pgDumpall: string;
  conn: PgConnection;
  /** Include the roles' password hashes (needs a superuser: pg_authid). */
  passwords: boolean;
  /** age recipients; none: stored as plain SQL. */
  recipients: string[];
  store: ObjectStore;
  key: string;
  signal?: AbortSignal;
}

export interface RolesDumpResult {
  key: string;
  /** The script's size and SHA-256, and the stored object's (the ciphertext when encrypted). */
  bytes: number;
  sha256: string;
  objectBytes: number;
  objectSha256: string;
  /** False when passwords were asked for but could not be read (see warnings). */
  includesPasswords: boolean;
  warnings: string[];
}

async function collect(stream: Readable, limit = MAX_ROLES_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.destroy();
      throw new Error(`the roles script is larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function runDumpall(plan: RolesDumpPlan, passwords: boolean): Promise<{ script: Buffer; warnings: string[] }> {
  const run = runPgTool(plan.pgDumpall, pgDumpallArguments(plan.conn.dbname, passwords), plan.conn);
  const abort = () => run.kill();
  plan.signal?.addEventListener('abort', abort, { once: true });
  try {
    const script = await collect(run.stdout);
    await run.done;
    return { script, warnings: run.warnings() };
  } catch (error) {
    run.kill();
    // pg_dumpall's own failure (its stderr), unless we stopped it (too large, aborted).
    const failure = await run.done.then(
      () => undefined,
      (e: unknown) => e,
    );
    throw failure instanceof PgToolError && !run.stoppedEarly() ? failure : error;
  } finally {
    plan.signal?.removeEventListener('abort', abort);
  }
}

/** sha256 and size of `data`, through the same DigestStream as the dumps. */
async function digestOf(data: Buffer): Promise<{ sha256: string; bytes: number }> {
  const digest = new DigestStream();
  await pipeline(Readable.from([data]), digest, new Writable({ write: (_chunk, _enc, done) => done() }));
  return { sha256: digest.sha256, bytes: digest.bytes };
}

async function encrypt(data: Buffer, recipients: string[]): Promise<Buffer> {
  const { encryptingStream } = await import('./age');
  const chunks: Buffer[] = [];
  await pipeline(
    Readable.from([data]),
    await encryptingStream(recipients),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(chunks);
}

/**
 * `pg_dumpall --roles-only` → SHA-256 → (age) → SHA-256 → object store. When passwords were asked
 * for and the user may not read them (pg_authid: superusers only), the roles are dumped without
 * passwords and a warning says so. Any other failure rejects: the caller records a warning and
 * keeps the backup (a dump without roles is still a dump).
 */
export async function dumpRoles(plan: RolesDumpPlan): Promise<RolesDumpResult> {
  const warnings: string[] = [];
  let includesPasswords = plan.passwords;
  let dumped: { script: Buffer; warnings: string[] };
  try {
    dumped = await runDumpall(plan, plan.passwords);
  } catch (error) {
    if (!plan.passwords || !(error instanceof PgToolError) || !/permission denied/i.test(error.stderrTail)) throw error;
    includesPasswords = false;
    warnings.push(
      `roles: passwords are not included: user "${plan.conn.user}" cannot read them (pg_authid needs a superuser)`,
    );
    dumped = await runDumpall(plan, false);
  }
  warnings.push(...dumped.warnings.map((line) => `roles: ${line}`));
  const plain = await digestOf(dumped.script);
  const object = plan.recipients.length ? await encrypt(dumped.script, plan.recipients) : dumped.script;
  const stored = plan.recipients.length ? await digestOf(object) : plain;
  await plan.store.put(plan.key, Readable.from([object]), {
    contentType: plan.recipients.length ? 'application/octet-stream' : 'application/sql',
    signal: plan.signal,
  });
  return {
    key: plan.key,
    bytes: plain.bytes,
    sha256: plain.sha256,
    objectBytes: stored.bytes,
    objectSha256: stored.sha256,
    includesPasswords,
    warnings,
  };
}

export interface StoredRoles {
  store: ObjectStore;
  key: string;
  objectSha256: string;
  sha256: string;
  /** The tenant's age identity, when the object is encrypted. */
  identity: string | null;
}

/** Reads the roles object, decrypting it when encrypted, and checks both digests. */
export async function fetchRoles(roles: StoredRoles): Promise<string> {
  const object = await collect(await roles.store.get(roles.key));
  const objectDigest = await digestOf(object);
  if (objectDigest.sha256 !== roles.objectSha256) {
    throw new IntegrityError(
      `Checksum mismatch: the roles object's SHA-256 is ${objectDigest.sha256}, the backup recorded ${roles.objectSha256}`,
    );
  }
  let script = object;
  if (roles.identity) {
    try {
      const { decryptStream } = await import('./age');
      script = await collect(await decryptStream(Readable.from([object]), roles.identity));
    } catch (error) {
      throw new IntegrityError(`The roles object cannot be decrypted: ${(error as Error).message}`, { cause: error });
    }
  }
  const plainDigest = roles.identity ? await digestOf(script) : objectDigest;
  if (plainDigest.sha256 !== roles.sha256) {
    throw new IntegrityError(
      `Checksum mismatch: the roles script's SHA-256 is ${plainDigest.sha256}, the backup recorded ${roles.sha256}`,
    );
  }
  return script.toString('utf8');
}

/** A role as pg_dumpall describes it. */
export interface DumpedRole {
  name: string;
  /** Its attributes, one element each: `LOGIN`, `CONNECTION LIMIT 3`, `VALID UNTIL '…'`, `PASSWORD '…'`. */
  attributes: string[];
  /** Its own settings (`ALTER ROLE … SET <this>`), not per-database ones. */
  settings: string[];
  /** Roles it is a member of. */
  memberOf: { role: string; admin: boolean; inherit?: boolean; set?: boolean }[];
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const unquote = (ident: string) => (ident.startsWith('"') ? ident.slice(1, -1).replaceAll('""', '"') : ident);
export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

const FLAGS = ['SUPERUSER', 'INHERIT', 'CREATEROLE', 'CREATEDB', 'LOGIN', 'REPLICATION', 'BYPASSRLS'];
const FLAG_WORDS = new Set(FLAGS.flatMap((flag) => [flag, `NO${flag}`]));
const ATTRIBUTE =
  /\s*(CONNECTION LIMIT -?\d+|VALID UNTIL '(?:[^']|'')*'|PASSWORD '(?:[^']|'')*'|PASSWORD NULL|[A-Z]+)/y;
/** Rights a backup must not hand out on another server: they need a superuser and outrank any restore. */
const WITHHELD: Record<string, string> = {
  SUPERUSER: 'NOSUPERUSER',
  REPLICATION: 'NOREPLICATION',
  BYPASSRLS: 'NOBYPASSRLS',
};

function parseAttributes(text: string, line: string): string[] {
  const attributes: string[] = [];
  let position = 0;
  while (text.slice(position).trim()) {
    ATTRIBUTE.lastIndex = position;
    const match = ATTRIBUTE.exec(text);
    const word = match?.[1];
    if (!match || !word || (/^[A-Z]+$/.test(word) && !FLAG_WORDS.has(word))) {
      throw new Error(`Unexpected role attributes in: ${line}`);
    }
    attributes.push(word);
    position = ATTRIBUTE.lastIndex;
  }
  return attributes;
}

/**
 * The roles, their attributes, own settings and memberships from a `pg_dumpall --roles-only`
 * script (PostgreSQL 12–17's output). Everything else in it (comments, session settings, `\restrict`,
 * per-database settings, role comments and security labels) is left out.
 */
export function parseRolesScript(script: string): DumpedRole[] {
  const roles = new Map<string, DumpedRole>();
  const role = (name: string) => {
    let found = roles.get(name);
    if (!found) roles.set(name, (found = { name, attributes: [], settings: [], memberOf: [] }));
    return found;
  };
  const create = new RegExp(`^CREATE ROLE (${IDENT});$`);
  const alterWith = new RegExp(`^ALTER ROLE (${IDENT}) WITH (.*);$`);
  const alterSet = new RegExp(`^ALTER ROLE (${IDENT}) SET ([A-Za-z_][A-Za-z0-9_.]* (?:TO|=) .+);$`);
  const grant = new RegExp(`^GRANT (${IDENT}) TO (${IDENT})(?: WITH (.+?))?(?: GRANTED BY ${IDENT})?;$`);
  for (const line of script.split('\n').map((l) => l.trimEnd())) {
    let m: RegExpExecArray | null;
    if ((m = create.exec(line))) role(unquote(m[1]));
    else if ((m = alterWith.exec(line))) role(unquote(m[1])).attributes = parseAttributes(m[2], line);
    else if ((m = alterSet.exec(line))) role(unquote(m[1])).settings.push(m[2]);
    else if ((m = grant.exec(line))) {
      const options = (m[3] ?? '').split(',').map((o) => o.trim().toUpperCase());
      const option = (name: string) => {
        const found = options.find((o) => o.startsWith(`${name} `));
        return found === undefined ? undefined : /\b(TRUE|OPTION)$/.test(found);
      };
      role(unquote(m[2])).memberOf.push({
        role: unquote(m[1]),
        admin: option('ADMIN') ?? false,
        inherit: option('INHERIT'),
        set: option('SET'),
      });
    }
  }
  return [...roles.values()];
}

/** `CREATE ROLE` for a role the target lacks: its attributes, minus the rights WITHHELD. */
export function createRoleStatement(role: DumpedRole): string {
  const attributes = role.attributes.map((attribute) => WITHHELD[attribute] ?? attribute);
  return `CREATE ROLE ${quoteIdent(role.name)}${attributes.length ? ` WITH ${attributes.join(' ')}` : ''}`;
}

function grantStatement(member: string, grant: DumpedRole['memberOf'][number], serverVersionNum: number): string {
  const options: string[] = [];
  if (grant.admin) options.push('ADMIN OPTION');
  // INHERIT and SET are grant options from PostgreSQL 16 on; older servers take ADMIN OPTION only.
  if (serverVersionNum >= 160_000) {
    if (grant.inherit !== undefined) options.push(`INHERIT ${grant.inherit ? 'TRUE' : 'FALSE'}`);
    if (grant.set !== undefined) options.push(`SET ${grant.set ? 'TRUE' : 'FALSE'}`);
  }
  return `GRANT ${quoteIdent(grant.role)} TO ${quoteIdent(member)}${options.length ? ` WITH ${options.join(', ')}` : ''}`;
}

async function createIn(client: Client, roles: DumpedRole[]): Promise<string[]> {
  const { rows } = await client.query<{ rolname: string; num: string }>(
    "SELECT rolname, current_setting('server_version_num') AS num FROM pg_roles",
  );
  const versionNum = Number(rows[0]?.num ?? 0);
  const existing = new Set(rows.map((row) => row.rolname));
  const missing = roles.filter((role) => !existing.has(role.name) && !role.name.startsWith('pg_'));
  const run = async (role: string, statement: string) => {
    try {
      await client.query(statement);
    } catch (error) {
      throw new Error(`Cannot create role "${role}": ${(error as Error).message}`, { cause: error });
    }
  };
  await client.query('BEGIN');
  try {
    for (const role of missing) await run(role.name, createRoleStatement(role));
    for (const role of missing) {
      for (const setting of role.settings) await run(role.name, `ALTER ROLE ${quoteIdent(role.name)} SET ${setting}`);
    }
    // Memberships of the roles created here only: an existing role is never changed.
    const known = new Set([...existing, ...missing.map((role) => role.name)]);
    for (const role of missing) {
      for (const grant of role.memberOf) {
        if (known.has(grant.role)) await run(role.name, grantStatement(role.name, grant, versionNum));
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return missing.map((role) => role.name);
}

/**
 * Creates, in one transaction, the roles of `roles` the target server lacks, with their
 * attributes (never SUPERUSER, REPLICATION or BYPASSRLS), own settings and memberships; existing
 * roles are left exactly as they are. Returns the names created (none: every role existed).
 */
export async function createMissingRoles(conn: PgConnection, roles: DumpedRole[]): Promise<string[]> {
  return withPgClient(conn, async (client) => {
    try {
      return await createIn(client, roles);
    } catch (error) {
      // Another restore created one of them meanwhile: look again once.
      if (((error as Error).cause as { code?: string } | undefined)?.code !== '42710') throw error;
      return createIn(client, roles);
    }
  });
}
