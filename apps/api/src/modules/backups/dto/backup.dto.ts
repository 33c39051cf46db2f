import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { PageDto, PageQueryDto } from '../../../common/pagination/page';
import { IsOptionalNonNull } from '../../../common/validation/decorators';
import { QueryDateTime, QuerySearch } from '../../../common/validation/query-filters';
import { SSL_MODES, type SslMode } from '../../../engine/pg-connection';
import { CompressionSettingDto, HOST, PG_NAME_PATTERN, pgNameListSchema } from '../../databases/dto/database.dto';

/** `skipped`: a schedule slot that did not run (error_message says why). `deleted`: removed by retention (a backup only): its objects are gone, the row stays as history. */
const STATUSES = ['pending', 'running', 'success', 'failed', 'skipped', 'deleted'] as const;
const TRIGGERS = ['manual', 'scheduled', 'api'] as const;
export type BackupTriggerName = (typeof TRIGGERS)[number];
export const RESTORE_STRATEGIES = ['swap', 'single_transaction', 'direct'] as const;
export type RestoreStrategyName = (typeof RESTORE_STRATEGIES)[number];
export type JobStatusName = (typeof STATUSES)[number];

export class BackupListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STATUSES, description: 'Only backups in this state.' })
  @IsOptionalNonNull()
  @IsIn(STATUSES)
  status?: JobStatusName;
}

export class BackupDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) database_id: string;
  @ApiProperty({ format: 'uuid' }) storage_id: string;
  @ApiProperty({ enum: STATUSES, example: 'success' }) status: JobStatusName;
  @ApiProperty({ enum: TRIGGERS, example: 'manual' }) trigger: BackupTriggerName;
  @ApiProperty({ example: 'swift-falcon-20251208-143022' }) name: string;
  @ApiProperty({ nullable: true, type: String, example: 'billing-prod/2025/12/swift-falcon-20251208-143022.dump' })
  object_key: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) started_at: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finished_at: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 5321 }) duration_ms: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 10485760, description: 'Stored object size.' })
  size_bytes: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Archive size before encryption.' })
  dump_size_bytes: number | null;
  @ApiProperty({ example: 4194304, description: 'Archive bytes produced so far (live while running).' })
  bytes_processed: number;
  @ApiProperty({ nullable: true, type: String, description: 'SHA-256 of the pg_dump archive.' }) sha256: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'SHA-256 of the stored object.' })
  object_sha256: string | null;
  @ApiProperty({ nullable: true, type: String, example: '15.18' }) server_version: string | null;
  @ApiProperty({ nullable: true, type: String, example: '15.18' }) pg_dump_version: string | null;
  @ApiProperty({
    type: CompressionSettingDto,
    nullable: true,
    description: 'What pg_dump compressed the archive with (null until pg_dump was chosen).',
  })
  compression: CompressionSettingDto | null;
  @ApiProperty() encrypted: boolean;
  @ApiProperty({ type: [String] }) encryption_recipients: string[];
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'billing-prod/2025/12/swift-falcon-20251208-143022.roles.sql',
    description:
      "The cluster's roles (pg_dumpall --roles-only) stored beside the dump, encrypted when the dump is. Null: the backup has no roles (its warnings say why), so `create_roles` cannot be used with it.",
  })
  roles_object_key: string | null;
  @ApiProperty({ description: "The roles object includes the roles' password hashes." })
  roles_with_passwords: boolean;
  @ApiProperty({ nullable: true, type: String, example: 'pg_dump failed: pg_dump: error: connection refused' })
  error_message: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'The schedule slot this backup is for (trigger `scheduled`; one backup per slot); null otherwise.',
  })
  scheduled_for: string | null;
  @ApiProperty({ type: [String], description: 'Warnings pg_dump printed, and why the roles are missing.' })
  warnings: string[];
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When retention removed its objects (status `deleted`).',
  })
  deleted_at: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'storage: 503 Service Unavailable',
    description: 'The storage error of the last removal by retention that failed; retried on the next run.',
  })
  deletion_error: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 3,
    description:
      'While `pending`: its place in line among all waiting backups (1 runs next), in the order they were asked for; null otherwise.',
  })
  queue_position: number | null;
  @ApiProperty({
    type: 'integer',
    example: 1,
    description: "1 for the first try; 2, 3, … for the retries the database's `retry` setting allows.",
  })
  attempt: number;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The failed backup this attempt retries; null for a first try.',
  })
  retry_of_id: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}
export class BackupPageDto extends PageDto(BackupDto) {}

/** `GET /backups`: the tenant's backups of every database, narrowed by any of these (all must hold). */
export class TenantBackupListQueryDto extends BackupListQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only backups of this database (one of another tenant finds nothing).',
  })
  @IsOptionalNonNull()
  @IsUUID('all', { message: 'database_id must be a UUID' })
  database_id?: string;

  @ApiPropertyOptional({ enum: TRIGGERS, description: 'Only backups started this way.' })
  @IsOptionalNonNull()
  @IsIn(TRIGGERS)
  trigger?: BackupTriggerName;

  @QueryDateTime('from', 'Only backups created at or after this instant.')
  from?: string;

  @QueryDateTime('to', 'Only backups created at or before this instant.')
  to?: string;

  @QuerySearch("Only backups whose name or whose database's name contains this, ignoring case.", 'billing')
  search?: string;
}

/** A backup in the tenant-wide list: with its database's name. */
export class TenantBackupDto extends BackupDto {
  @ApiProperty({ example: 'billing-prod', description: "The name of the backup's database." }) database_name: string;
}
export class TenantBackupPageDto extends PageDto(TenantBackupDto) {}

export class VerifyResultDto {
  @ApiProperty({ example: true }) ok: boolean;
  @ApiProperty({ example: 'Checksums match and pg_restore lists 42 entries' }) message: string;
  @ApiProperty({ nullable: true, type: Number, example: 42 }) toc_entries: number | null;
}

/** The documented restore target fields; given any of them, the restore goes into that database. */
export const RESTORE_TARGET_FIELDS = [
  'target_host',
  'target_port',
  'target_dbname',
  'target_user',
  'target_password',
  'target_sslmode',
] as const;
const namesTarget = (body: object) =>
  RESTORE_TARGET_FIELDS.some((field) => (body as Record<string, unknown>)[field] !== undefined);
const TARGET_NOTE = 'Required when any `target_*` field is given (the restore then goes into that database).';

/** An empty body restores into the source database; `target_*` fields name another one. */
export class RestoreRequestDto {
  @ApiPropertyOptional({ example: 'staging-db.internal', pattern: HOST.source, description: TARGET_NOTE })
  @ValidateIf((body: object) => namesTarget(body))
  @Matches(HOST, { message: 'target_host must be a host name or IP address' })
  target_host?: string;

  @ApiPropertyOptional({ type: 'integer', example: 5432, default: 5432, minimum: 1, maximum: 65535 })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  @Max(65535)
  target_port?: number;

  @ApiPropertyOptional({ example: 'billing_restored', minLength: 1, maxLength: 63, description: TARGET_NOTE })
  @ValidateIf((body: object) => namesTarget(body))
  @IsString()
  @IsNotEmpty()
  @MaxLength(63)
  target_dbname?: string;

  @ApiPropertyOptional({ example: 'restorer', minLength: 1, maxLength: 63, description: TARGET_NOTE })
  @ValidateIf((body: object) => namesTarget(body))
  @IsString()
  @IsNotEmpty()
  @MaxLength(63)
  target_user?: string;

  @ApiPropertyOptional({
    example: 's3cr3t',
    maxLength: 1000,
    description: 'Stored encrypted while the restore runs; never returned.',
  })
  @IsOptionalNonNull()
  @IsString()
  @MaxLength(1000)
  target_password?: string;

  @ApiPropertyOptional({
    enum: SSL_MODES,
    default: 'prefer',
    description: 'As libpq: `require` and `verify-*` never fall back to plain text.',
  })
  @IsOptionalNonNull()
  @IsIn(SSL_MODES)
  target_sslmode?: SslMode;

  @ApiPropertyOptional({
    default: false,
    description:
      "Replace what the backup holds. Of the whole backup, into an existing database: restored into a fresh database on the same server that then takes the target's name (strategy `swap`; objects made after the backup are not carried over; the previous database is kept as `<name>_before_<time>` for RESTORE_KEEP_PREVIOUS_HOURS). Partial (`schemas`/`tables`), or when the role lacks CREATEDB or ownership of the database: pg_restore --clean --if-exists in one transaction.",
  })
  @IsOptionalNonNull()
  @IsBoolean()
  clean?: boolean;

  @ApiPropertyOptional({
    default: false,
    description:
      'Create the target database first (it must not exist). If the restore then fails, the database is dropped again.',
  })
  @IsOptionalNonNull()
  @IsBoolean()
  create?: boolean;

  @ApiPropertyOptional({
    description:
      'pg_restore --no-owner: objects belong to the restoring user instead of their recorded owners. Default: false into the source database, true into another target (whose server may lack the owners).',
  })
  @IsOptionalNonNull()
  @IsBoolean()
  no_owner?: boolean;

  @ApiPropertyOptional({
    description:
      'pg_restore --no-privileges: GRANTs and REVOKEs are not restored. Default: false into the source database (its grants are kept), true into another target (whose server may lack the grantees).',
  })
  @IsOptionalNonNull()
  @IsBoolean()
  no_privileges?: boolean;

  @ApiPropertyOptional({
    default: false,
    description:
      'All or nothing: pg_restore --single-transaction (without --jobs), so a failure leaves the target as it was. Into an existing database this is also what runs unless a clean restore of the whole backup can swap (see `clean`).',
  })
  @IsOptionalNonNull()
  @IsBoolean()
  single_transaction?: boolean;

  @ApiPropertyOptional({
    default: false,
    description:
      "Before pg_restore, create the roles of the backup's roles object that the target server lacks (attributes, own settings and memberships; never SUPERUSER, REPLICATION or BYPASSRLS), so owners and GRANTs naming them restore. Existing roles are never changed. Into another target, `no_owner` and `no_privileges` then default to false (the owners and grantees exist). Needs a target user with CREATEROLE, and a backup with `roles_object_key`. The restore lists the roles it created in `roles_created`; they stay if pg_restore then fails.",
  })
  @IsOptionalNonNull()
  @IsBoolean()
  create_roles?: boolean;

  @ApiPropertyOptional({
    ...pgNameListSchema,
    example: ['public'],
    description:
      'Only these schemas: each with everything in it (and the schema itself where the target lacks it). Every name must be in the backup (400 otherwise, before anything is touched). Objects in them that depend on others outside need those in the target.',
  })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(PG_NAME_PATTERN, { each: true, message: 'each schema must be a name (not starting with "-" or a space)' })
  schemas?: string[];

  @ApiPropertyOptional({
    ...pgNameListSchema,
    example: ['public.orders'],
    description:
      'Only these tables (also views, materialized views, sequences), as `schema.table` (the form of the backup filters; `"My Schema"."Odd.Name"` quoted) or a bare `table` (in any schema). Every name must be in the backup (400 otherwise, before anything is touched). A table comes with its rows, its partitions, its owned sequences (serial, identity) and values, column defaults, primary key, unique and check constraints, indexes, comments, grants and policies, and its schema where the target lacks it; foreign keys, triggers and rules only when everything they refer to (the other table, the trigger function) is restored too.',
  })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(PG_NAME_PATTERN, { each: true, message: 'each table must be a name (not starting with "-" or a space)' })
  tables?: string[];
}

export class RestoreDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) backup_id: string;
  @ApiProperty({ example: 'swift-falcon-20251208-143022' }) backup_name: string;
  @ApiProperty({ format: 'uuid', description: 'The database the backup was made of.' }) database_id: string;
  @ApiProperty({ enum: STATUSES, example: 'success' }) status: JobStatusName;
  @ApiProperty({ description: 'Into the source database (true) or another target.' }) into_source: boolean;
  @ApiProperty({ nullable: true, type: String, example: 'staging-db.internal' }) target_host: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 5432 }) target_port: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'billing_restored' }) target_dbname: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'restorer' }) target_user: string | null;
  @ApiProperty() clean: boolean;
  @ApiProperty() create: boolean;
  @ApiProperty() no_owner: boolean;
  @ApiProperty() no_privileges: boolean;
  @ApiProperty({ description: 'All or nothing was asked for.' }) single_transaction: boolean;
  @ApiProperty({
    enum: RESTORE_STRATEGIES,
    nullable: true,
    type: String,
    example: 'swap',
    description:
      'How the restore ran (set once it starts): `swap` (into a fresh database that then took the name), `single_transaction` (one transaction: a failure changes nothing) or `direct` (into the database it created, dropped again on failure).',
  })
  strategy: RestoreStrategyName | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why this strategy ran, when it is not what was asked for (e.g. the role may not swap).',
  })
  strategy_note: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'billing_before_20251208T143022',
    description: 'After a swap: the previous database, kept on the same server under this name.',
  })
  kept_database: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When the kept database is dropped.' })
  kept_until: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When it was dropped.' })
  kept_dropped_at: string | null;
  @ApiProperty({ description: 'Missing roles were to be created first.' }) create_roles: boolean;
  @ApiProperty({ type: [String], example: ['analyst'], description: 'The roles this restore created.' })
  roles_created: string[];
  @ApiProperty({ type: [String] }) schemas: string[];
  @ApiProperty({ type: [String] }) tables: string[];
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) started_at: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finished_at: string | null;
  @ApiProperty({ nullable: true, type: Number }) duration_ms: number | null;
  @ApiProperty({ nullable: true, type: String }) error_message: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}
export class RestorePageDto extends PageDto(RestoreDto) {}

/** `GET /databases/{id}/restores`: a state filter on top of the page. */
export class DatabaseRestoreListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STATUSES, description: 'Only restores in this state.' })
  @IsOptionalNonNull()
  @IsIn(STATUSES)
  status?: JobStatusName;
}

/** `GET /restores`: every restore of the tenant, by state, database or backup. */
export class RestoreListQueryDto extends DatabaseRestoreListQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only restores of this database’s backups.' })
  @IsOptionalNonNull()
  @IsUUID('all', { message: 'database_id must be a UUID' })
  database_id?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only restores of this backup.' })
  @IsOptionalNonNull()
  @IsUUID('all', { message: 'backup_id must be a UUID' })
  backup_id?: string;
}
