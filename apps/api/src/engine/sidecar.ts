import type { DumpOptions } from './backup-pipeline';

/** A recipient the dump is encrypted to, and whose key it is. */
export interface LabelledRecipient {
  /** `tenant` (the service's own key for the tenant) or `database recipient N` (the database's Nth). */
  label: string;
  recipient: string;
}

/** The tenant's key first, then the database's recipients in their order. */
export function labelRecipients(tenantRecipient: string, databaseRecipients: string[]): LabelledRecipient[] {
  return [
    { label: 'tenant', recipient: tenantRecipient },
    ...databaseRecipients.map((recipient, i) => ({ label: `database recipient ${i + 1}`, recipient })),
  ];
}

export interface SidecarFacts {
  backup: { id: string; name: string; createdAt: Date };
  database: { name: string; dbname: string; host: string; port: number };
  serverVersion: string;
  pgDumpVersion: string;
  options: DumpOptions;
  objectKey: string;
  dump: { objectBytes: number; objectSha256: string; dumpBytes: number; sha256: string };
  recipients: LabelledRecipient[];
  /** The roles object, or null when the roles could not be dumped (`warnings` says why). */
  roles: {
    key: string;
    objectBytes: number;
    objectSha256: string;
    bytes: number;
    sha256: string;
    includesPasswords: boolean;
  } | null;
  warnings: string[];
}

const fileOf = (key: string) => key.split('/').pop() ?? key;

/**
 * The JSON written beside each dump: what a person with standard tools (aws/s3cmd, sha256sum, age,
 * psql, pg_restore) needs to check and restore it without DumpStation. Commands name files as
 * they are downloaded into the current directory; `<target>` is the database to restore into
 * (a name or a conninfo string) and `<identity-file>` an age identity of one of the recipients.
 */
export function backupSidecar(facts: SidecarFacts): Record<string, unknown> {
  const encrypted = facts.recipients.length > 0;
  const dumpFile = fileOf(facts.objectKey);
  const { includeSchemas, excludeSchemas, includeTables, excludeTables } = facts.options;
  const partial = [includeSchemas, excludeSchemas, includeTables, excludeTables].some((list) => list.length > 0);
  const read = (file: string) => (encrypted ? `age -d -i <identity-file> ${file} | ` : '');
  const from = (file: string) => (encrypted ? '' : ` ${file}`);
  const rolesFile = facts.roles ? fileOf(facts.roles.key) : null;
  return {
    format: 'dumpstation-backup/2',
    backup: { id: facts.backup.id, name: facts.backup.name, created_at: facts.backup.createdAt.toISOString() },
    database: {
      name: facts.database.name,
      dbname: facts.database.dbname,
      host: facts.database.host,
      port: facts.database.port,
    },
    server_version: facts.serverVersion,
    pg_dump_version: facts.pgDumpVersion,
    dump_format: 'custom',
    // pg_restore reads it from the archive; lz4 and zstd need pg_restore 16 or newer.
    compression: { algorithm: facts.options.compression.algorithm, level: facts.options.compression.level },
    // What pg_dump was told to leave out: a partial dump restores only part of the database.
    partial,
    dump_options: {
      include_schemas: includeSchemas,
      exclude_schemas: excludeSchemas,
      include_tables: includeTables,
      exclude_tables: excludeTables,
    },
    object_key: facts.objectKey,
    size_bytes: facts.dump.objectBytes,
    sha256_object: facts.dump.objectSha256,
    dump_size_bytes: facts.dump.dumpBytes,
    sha256_dump: facts.dump.sha256,
    encrypted,
    encryption: encrypted ? { tool: 'age', recipients: facts.recipients } : null,
    roles: facts.roles
      ? {
          object_key: facts.roles.key,
          format: 'pg_dumpall --roles-only',
          includes_passwords: facts.roles.includesPasswords,
          size_bytes: facts.roles.objectBytes,
          sha256_object: facts.roles.objectSha256,
          script_size_bytes: facts.roles.bytes,
          sha256_script: facts.roles.sha256,
        }
      : null,
    // Works on any server: owners and GRANTs name roles the target may not have, so both are skipped.
    restore: `${read(dumpFile)}pg_restore --exit-on-error --no-owner --no-privileges --dbname=<target>${from(dumpFile)}`,
    // Keeps the GRANTs: the roles first (psql reports the roles that already exist and goes on;
    // review the script first: its ALTER ROLE lines also apply to roles that exist), then the dump.
    restore_with_roles: rolesFile
      ? [
          `${read(rolesFile)}psql --dbname=<target>${encrypted ? '' : ` --file=${rolesFile}`}`,
          `${read(dumpFile)}pg_restore --exit-on-error --no-owner --dbname=<target>${from(dumpFile)}`,
        ]
      : null,
    warnings: facts.warnings,
  };
}
