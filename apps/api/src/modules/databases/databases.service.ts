import { Injectable } from '@nestjs/common';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context';
import { alreadyTaken, notFound, ValidationFailedException } from '../../common/errors/api-exception';
import type { FieldErrorDto } from '../../common/errors/error-response.dto';
import { pageOf, skipTake, type Page, type PageQueryDto } from '../../common/pagination/page';
import { SecretBox } from '../../crypto/secret-box';
import {
  canCompressWith,
  COMPRESSION_LEVELS,
  CompressionUnsupportedError,
  describeCompression,
  effectiveCompression,
  needsNewerPgDump,
  storedCompression,
  withLevel,
  type Compression,
} from '../../engine/compression';
import { PgClientResolver } from '../../engine/pg-client-resolver';
import { describeConnectionError, readServerInfo, type PgConnection, type SslMode } from '../../engine/pg-connection';
import type { Database, SslMode as StoredSslMode } from '../../generated/prisma/client';
import { uniquely } from '../../prisma/prisma-errors';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { rotationColumns, rotationPolicyDto } from '../retention/rotation-columns';
import { ProtectionService, type Assessment } from '../protection/protection.service';
import { ScheduleCalculator } from '../schedules/schedule-calculator';
import { DatabasesRepository } from './databases.repository';
import type {
  CompressionDto,
  CreateDatabaseDto,
  DatabaseCheckDto,
  DatabaseDto,
  TestDatabaseChangesDto,
  TestDatabaseDto,
  UpdateDatabaseDto,
} from './dto/database.dto';

/** libpq's sslmode names ↔ the enum values Prisma stores (`verify-ca` ↔ `verify_ca`). */
export const toStoredSslMode = (mode: SslMode) => mode.replace('-', '_') as StoredSslMode;
export const fromStoredSslMode = (mode: StoredSslMode) => mode.replace('_', '-') as SslMode;

function toDto(row: Database, calculator: ScheduleCalculator, assessment: Assessment | undefined): DatabaseDto {
  return {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    dbname: row.dbname,
    user: row.username,
    password_set: Boolean(row.passwordEncrypted),
    sslmode: fromStoredSslMode(row.sslmode),
    storage_id: row.storageId,
    notification_id: row.notificationId,
    schedule: row.schedule,
    timezone: row.timezone,
    enabled: row.enabled,
    ...calculator.preview(row.schedule, row.timezone),
    rotation_policy: rotationPolicyDto(row),
    retry: { attempts: row.retryAttempts, delay_seconds: row.retryDelaySeconds },
    compression: storedCompression(row),
    encryption_recipients: row.encryptionRecipients,
    include_schemas: row.includeSchemas,
    exclude_schemas: row.excludeSchemas,
    include_tables: row.includeTables,
    exclude_tables: row.excludeTables,
    backup_role_passwords: row.backupRolePasswords,
    max_age_hours: row.maxAgeHours,
    effective_max_age_hours: assessment?.effectiveMaxAgeHours ?? null,
    protection: assessment?.protection ?? 'unscheduled',
    last_backup_at: row.lastBackupAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** Every setting but the password of a create or a PUT, with the defaults for what was left out. */
function fullSettings(input: CreateDatabaseDto) {
  return {
    name: input.name.trim(),
    host: input.host,
    port: input.port ?? 5432,
    dbname: input.dbname,
    username: input.user,
    sslmode: toStoredSslMode(input.sslmode ?? 'prefer'),
    storageId: input.storage_id,
    notificationId: input.notification_id ?? null,
    schedule: input.schedule ?? null,
    timezone: input.timezone ?? 'UTC',
    enabled: input.enabled ?? true,
    ...rotationColumns(input.rotation_policy),
    encryptionRecipients: input.encryption_recipients ?? [],
    includeSchemas: input.include_schemas ?? [],
    excludeSchemas: input.exclude_schemas ?? [],
    includeTables: input.include_tables ?? [],
    excludeTables: input.exclude_tables ?? [],
    backupRolePasswords: input.backup_role_passwords ?? false,
    retryAttempts: input.retry?.attempts ?? 0,
    retryDelaySeconds: input.retry?.delay_seconds ?? 60,
    maxAgeHours: input.max_age_hours ?? null,
    ...compressionColumns(input.compression ?? null),
  };
}

/** The stored columns of a compression setting, the level filled in (null: the default for the pg_dump that runs). */
function compressionColumns(compression: CompressionDto | null) {
  if (!compression) return { compressionAlgorithm: null, compressionLevel: null };
  const { algorithm, level } = withLevel(compression.algorithm, compression.level);
  return { compressionAlgorithm: algorithm, compressionLevel: level };
}

/** A level outside the algorithm's range (pg_dump would refuse it at the first backup). */
function compressionLevelErrors(compression: CompressionDto | null | undefined): FieldErrorDto[] {
  if (!compression) return [];
  const { algorithm, level } = compression;
  if (level === undefined || level === null) return [];
  if (algorithm === 'none') return [{ field: 'compression.level', message: 'none takes no compression level' }];
  const range = COMPRESSION_LEVELS[algorithm];
  if (level >= range.min && level <= range.max) return [];
  return [
    {
      field: 'compression.level',
      message: `${algorithm} compression levels are ${range.min} to ${range.max} (default ${range.default})`,
    },
  ];
}

/** The connection a create's (or an unsaved test's) settings name, with libpq's defaults for what is left out. */
function connectionOfInput(input: TestDatabaseDto): PgConnection {
  return {
    host: input.host,
    port: input.port ?? 5432,
    dbname: input.dbname,
    user: input.user,
    password: input.password ?? null,
    sslmode: input.sslmode ?? 'prefer',
  };
}

/** Whether a change moves the schedule's slots (schedule, zone, pause/resume): then earlier slots are not missed ones. */
function scheduleChanged(
  before: Database,
  input: { schedule?: string | null; timezone?: string; enabled?: boolean },
): boolean {
  return (
    (input.schedule !== undefined && input.schedule !== before.schedule) ||
    (input.timezone !== undefined && input.timezone !== before.timezone) ||
    (input.enabled !== undefined && input.enabled !== before.enabled)
  );
}

const nameTaken = () => alreadyTaken('name', 'A database with this name already exists');

/** PostgreSQL databases to back up: settings with an encrypted password, and a connection check. */
@Injectable()
export class DatabasesService {
  constructor(
    private readonly databases: DatabasesRepository,
    private readonly secrets: SecretBox,
    private readonly resolver: PgClientResolver,
    private readonly activity: ActivityLogService,
    private readonly calculator: ScheduleCalculator,
    private readonly protection: ProtectionService,
  ) {}

  /** The DTOs of `rows`, each with its protection now. */
  private async toDtos(rows: Database[]): Promise<DatabaseDto[]> {
    const assessments = await this.protection.ofDatabases(rows.map((row) => row.id));
    return rows.map((row) => toDto(row, this.calculator, assessments.get(row.id)));
  }

  private async toDtoOf(row: Database): Promise<DatabaseDto> {
    return (await this.toDtos([row]))[0];
  }

  /** Connection settings for the engine, with the password decrypted (in memory only). */
  connectionOf(row: Database): PgConnection {
    return {
      host: row.host,
      port: row.port,
      dbname: row.dbname,
      user: row.username,
      password: row.passwordEncrypted ? this.secrets.decrypt(row.passwordEncrypted) : null,
      sslmode: fromStoredSslMode(row.sslmode),
    };
  }

  async create(auth: AuthContext, input: CreateDatabaseDto, meta: RequestMeta): Promise<DatabaseDto> {
    await this.assertReferences(auth, input.storage_id, input.notification_id);
    await this.assertCompression(input.compression, () => connectionOfInput(input));
    const row = await uniquely(
      () =>
        this.databases.create({
          tenantId: auth.tenantId,
          ...fullSettings(input),
          passwordEncrypted: input.password ? this.secrets.encrypt(input.password) : null,
        }),
      nameTaken,
    );
    await this.record(auth, meta, 'database.create', row);
    return this.toDtoOf(row);
  }

  async list(auth: AuthContext, query: PageQueryDto): Promise<Page<DatabaseDto>> {
    const { skip, take } = skipTake(query);
    const [rows, total] = await this.databases.listForTenant(auth.tenantId, skip, take);
    return pageOf(await this.toDtos(rows), total, query);
  }

  async get(auth: AuthContext, id: string): Promise<DatabaseDto> {
    return this.toDtoOf(await this.require(auth, id));
  }

  async update(auth: AuthContext, id: string, input: UpdateDatabaseDto, meta: RequestMeta): Promise<DatabaseDto> {
    const before = await this.require(auth, id);
    await this.assertReferences(auth, input.storage_id, input.notification_id);
    await this.assertCompression(input.compression, () => this.connectionWith(before, input));
    const row = await uniquely(
      () =>
        this.databases.update(id, {
          name: input.name?.trim(),
          host: input.host,
          port: input.port,
          dbname: input.dbname,
          username: input.user,
          passwordEncrypted:
            input.password === null ? null : input.password ? this.secrets.encrypt(input.password) : undefined,
          sslmode: input.sslmode ? toStoredSslMode(input.sslmode) : undefined,
          storageId: input.storage_id,
          notificationId: input.notification_id,
          schedule: input.schedule,
          timezone: input.timezone,
          enabled: input.enabled,
          scheduleUpdatedAt: scheduleChanged(before, input) ? new Date() : undefined,
          ...(input.rotation_policy !== undefined ? rotationColumns(input.rotation_policy) : {}),
          encryptionRecipients: input.encryption_recipients,
          includeSchemas: input.include_schemas,
          excludeSchemas: input.exclude_schemas,
          includeTables: input.include_tables,
          excludeTables: input.exclude_tables,
          backupRolePasswords: input.backup_role_passwords,
          retryAttempts: input.retry?.attempts,
          retryDelaySeconds: input.retry?.delay_seconds,
          maxAgeHours: input.max_age_hours,
          ...(input.compression !== undefined ? compressionColumns(input.compression) : {}),
        }),
      nameTaken,
    );
    await this.record(auth, meta, 'database.update', row);
    return this.toDtoOf(row);
  }

  /**
   * PUT: the database becomes exactly `input`, as a create would make it (omitted optional
   * fields take their defaults), except the password: omitted keeps the stored one, null removes it.
   */
  async replace(auth: AuthContext, id: string, input: CreateDatabaseDto, meta: RequestMeta): Promise<DatabaseDto> {
    const before = await this.require(auth, id);
    await this.assertReferences(auth, input.storage_id, input.notification_id);
    await this.assertCompression(input.compression, () => this.connectionWith(before, input));
    const row = await uniquely(
      () =>
        this.databases.update(id, {
          ...fullSettings(input),
          scheduleUpdatedAt: scheduleChanged(before, fullSettings(input)) ? new Date() : undefined,
          passwordEncrypted:
            input.password === null ? null : input.password ? this.secrets.encrypt(input.password) : undefined,
        }),
      nameTaken,
    );
    await this.record(auth, meta, 'database.update', row);
    return this.toDtoOf(row);
  }

  async delete(auth: AuthContext, id: string, meta: RequestMeta): Promise<void> {
    const row = await this.require(auth, id);
    await this.databases.delete(id);
    await this.record(auth, meta, 'database.delete', row);
  }

  /**
   * Connects, reads the server version and says which pg_dump would run with which compression,
   * or why none can: as saved, or with unsaved `changes` on top (left out: the saved settings).
   */
  async check(
    auth: AuthContext,
    id: string,
    meta: RequestMeta,
    changes: TestDatabaseChangesDto = {},
  ): Promise<DatabaseCheckDto> {
    const row = await this.require(auth, id);
    const errors = compressionLevelErrors(changes.compression);
    if (errors.length) throw new ValidationFailedException(errors);
    const compression =
      changes.compression === undefined
        ? storedCompression(row)
        : changes.compression && withLevel(changes.compression.algorithm, changes.compression.level);
    const result = await this.checkConnection(this.connectionWith(row, changes), compression);
    await this.record(auth, meta, 'database.test', row, result.ok);
    return result;
  }

  /** The same check for settings not saved yet (a form's Test before Add). Nothing is saved. */
  async checkUnsaved(auth: AuthContext, input: TestDatabaseDto, meta: RequestMeta): Promise<DatabaseCheckDto> {
    const errors = compressionLevelErrors(input.compression);
    if (errors.length) throw new ValidationFailedException(errors);
    const result = await this.checkConnection(
      connectionOfInput(input),
      input.compression ? withLevel(input.compression.algorithm, input.compression.level) : null,
    );
    await this.activity.recordFor(auth, meta, {
      event: 'database.test',
      outcome: result.ok ? 'success' : 'failure',
      resourceType: 'Database',
      resourceName: input.dbname,
      details: { host: input.host, dbname: input.dbname, unsaved: true },
    });
    return result;
  }

  private async checkConnection(conn: PgConnection, setting: Compression | null): Promise<DatabaseCheckDto> {
    try {
      const server = await readServerInfo(conn);
      try {
        const client = await this.resolver.resolve('pg_dump', server.versionNum);
        const compression = effectiveCompression(setting, client);
        return {
          ok: true,
          message: `Connected to PostgreSQL ${server.version}; pg_dump ${client.version ?? client.major} will be used, compressing with ${describeCompression(compression)}`,
          server_version: server.version,
          pg_dump_path: client.binary,
          pg_dump_version: client.version ?? null,
        };
      } catch (error) {
        return {
          ok: false,
          message: `Connected to PostgreSQL ${server.version}, but it cannot be backed up here: ${(error as Error).message}`,
          server_version: server.version,
          pg_dump_path: null,
          pg_dump_version: null,
        };
      }
    } catch (error) {
      return {
        ok: false,
        message: describeConnectionError(error, conn),
        server_version: null,
        pg_dump_path: null,
        pg_dump_version: null,
      };
    }
  }

  async require(auth: AuthContext, id: string): Promise<Database> {
    const row = await this.databases.findInTenant(id, auth.tenantId);
    if (!row) throw notFound('Database');
    return row;
  }

  /** The connection a change leaves: the stored settings with the request's on top (the password only in memory). */
  private connectionWith(before: Database, input: UpdateDatabaseDto | TestDatabaseChangesDto): PgConnection {
    const stored = this.connectionOf(before);
    return {
      host: input.host ?? stored.host,
      port: input.port ?? stored.port,
      dbname: input.dbname ?? stored.dbname,
      user: input.user ?? stored.user,
      password: input.password === null ? null : (input.password ?? stored.password),
      sslmode: input.sslmode ?? stored.sslmode,
    };
  }

  /**
   * A level outside the algorithm's range is a 400; so is lz4/zstd for a server whose pg_dump
   * (chosen as for a backup) is older than 16, naming that pg_dump. When the server cannot be
   * reached or no pg_dump fits it yet, the choice is kept: the backup checks again before it starts.
   */
  private async assertCompression(compression: CompressionDto | null | undefined, connection: () => PgConnection) {
    const errors = compressionLevelErrors(compression);
    if (errors.length) throw new ValidationFailedException(errors);
    if (!compression || !needsNewerPgDump(compression.algorithm)) return;
    const pgDump = await readServerInfo(connection())
      .then((server) => this.resolver.resolve('pg_dump', server.versionNum))
      .catch(() => null);
    if (!pgDump || canCompressWith(compression.algorithm, pgDump.major)) return;
    throw new ValidationFailedException([
      {
        field: 'compression.algorithm',
        message: new CompressionUnsupportedError(compression.algorithm, pgDump.version ?? String(pgDump.major)).message,
      },
    ]);
  }

  /** Another tenant's storage or webhook is named like a missing one: a 400 on the field. */
  private async assertReferences(auth: AuthContext, storageId?: string, notificationId?: string | null) {
    const errors: FieldErrorDto[] = [];
    if (storageId && !(await this.databases.storageInTenant(storageId, auth.tenantId)))
      errors.push({ field: 'storage_id', message: 'storage_id names no storage of this tenant' });
    if (notificationId && !(await this.databases.notificationInTenant(notificationId, auth.tenantId)))
      errors.push({ field: 'notification_id', message: 'notification_id names no notification of this tenant' });
    if (errors.length) throw new ValidationFailedException(errors);
  }

  private record(auth: AuthContext, meta: RequestMeta, event: string, row: Database, ok = true) {
    return this.activity.recordFor(auth, meta, {
      event,
      outcome: ok ? 'success' : 'failure',
      resourceType: 'Database',
      resourceId: row.id,
      resourceName: row.name,
      details: { name: row.name },
    });
  }
}
