import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageDto } from '../../../common/pagination/page';
import {
  CRON_PATTERN,
  IsCronSchedule,
  IsKnownTimeZone,
  IsName,
  IsOptionalNonNull,
  nameSchema,
  TIME_ZONE_PATTERN,
} from '../../../common/validation/decorators';
import { COMPRESSION_ALGORITHMS, type CompressionAlgorithm } from '../../../engine/compression';
import { SSL_MODES, type SslMode } from '../../../engine/pg-connection';
import { PROTECTIONS, type Protection } from '../../protection/protection';

/** A schema or table name/pattern as pg_dump and pg_restore take it (one argv element, never read as an option). */
export const PG_NAME_PATTERN = /^[^\s-][^\0]{0,126}$/;
/** The OpenAPI shape of a list of PG_NAME_PATTERN entries. */
export const pgNameListSchema = {
  type: 'array',
  maxItems: 100,
  items: { type: 'string', maxLength: 127, pattern: PG_NAME_PATTERN.source },
} as const;
const PATTERN_MESSAGE = 'each entry must be a schema or table name/pattern (not starting with "-" or a space)';
/** age X25519 recipients: bech32 "age1" + 58 characters. */
const AGE_RECIPIENT = /^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/;
export const HOST = /^[A-Za-z0-9._:-]{1,253}$/;

/** What happens when a backup of the database fails (or its worker is lost mid-backup). */
export class RetryPolicyDto {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 10,
    example: 2,
    description:
      'How many more attempts a failed backup gets (0: none). Each attempt is its own backup (attempt 2, 3, …, `retry_of_id` naming the failed one); the notification is sent when the last attempt ends.',
  })
  @IsInt()
  @Min(0)
  @Max(10)
  attempts: number;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 86_400,
    example: 60,
    description: 'Seconds between a failure and the next attempt.',
  })
  @IsInt()
  @Min(0)
  @Max(86_400)
  delay_seconds: number;
}

/** How pg_dump compresses the archive (its `--compress`). */
export class CompressionDto {
  @ApiProperty({
    enum: COMPRESSION_ALGORITHMS,
    example: 'zstd',
    description:
      "pg_dump's compression method. `lz4` and `zstd` need pg_dump 16 or newer (the client chosen for the server: its major, or the nearest newer one installed); choosing one for a database dumped by an older pg_dump is a 400 when the server can be reached, and fails the backup before it starts otherwise.",
  })
  @IsIn(COMPRESSION_ALGORITHMS, { message: `algorithm must be one of ${COMPRESSION_ALGORITHMS.join(', ')}` })
  algorithm: CompressionAlgorithm;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 22,
    example: 3,
    description:
      "gzip 1–9 (default 6), lz4 1–12 (default 1), zstd 1–22 (default 3); `none` takes no level. Left out or null: the algorithm's default.",
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1, { message: 'compression levels start at 1 (gzip 1 to 9, lz4 1 to 12, zstd 1 to 22)' })
  @Max(22, { message: 'compression levels go up to 22 (zstd; gzip 9, lz4 12)' })
  level?: number | null;
}

/** A database's compression as stored and shown: the level always filled in (null only for none). */
export class CompressionSettingDto {
  @ApiProperty({ enum: COMPRESSION_ALGORITHMS, example: 'zstd' }) algorithm: CompressionAlgorithm;
  @ApiProperty({ type: 'integer', nullable: true, example: 3 }) level: number | null;
}

export class RotationPolicyDto {
  @ApiProperty({
    enum: ['count', 'days', 'gfs'],
    example: 'count',
    description:
      "Retention (docs/operations.md): `count` keeps the newest `value` successful backups; `days` keeps those of the last `value` days; `gfs` keeps the newest `value` (keep_last) plus the newest backup of each of the newest `hourly`/`daily`/`weekly`/`monthly`/`yearly` hours, days, ISO weeks, months and years (read in the database's timezone). The period counts add to `count` and `days` too. Whatever the rules, the newest `min_keep` successful backups are kept (the newest success always); failed and skipped backups are never removed.",
  })
  @IsIn(['count', 'days', 'gfs'])
  type: 'count' | 'days' | 'gfs';

  @ApiProperty({
    type: 'integer',
    example: 7,
    minimum: 1,
    maximum: 10000,
    description:
      '`count`: how many to keep; `days`: how many days; `gfs`: keep_last, the newest N kept whatever their period.',
  })
  @IsInt()
  @Min(1)
  @Max(10000)
  value: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 10000,
    example: 24,
    description: 'Newest backup of each of the newest N hours.',
  })
  @IsOptionalNonNull()
  @IsInt()
  @Min(0)
  @Max(10000)
  hourly?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 10000,
    example: 7,
    description: 'Newest backup of each of the newest N days.',
  })
  @IsOptionalNonNull()
  @IsInt()
  @Min(0)
  @Max(10000)
  daily?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 10000,
    example: 4,
    description: 'Newest backup of each of the newest N ISO weeks.',
  })
  @IsOptionalNonNull()
  @IsInt()
  @Min(0)
  @Max(10000)
  weekly?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 10000,
    example: 12,
    description: 'Newest backup of each of the newest N months.',
  })
  @IsOptionalNonNull()
  @IsInt()
  @Min(0)
  @Max(10000)
  monthly?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 10000,
    example: 2,
    description: 'Newest backup of each of the newest N years.',
  })
  @IsOptionalNonNull()
  @IsInt()
  @Min(0)
  @Max(10000)
  yearly?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 10000,
    default: 1,
    description: 'The newest N successful backups survive any rule (a run of failures never empties the history).',
  })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  @Max(10000)
  min_keep?: number;
}

/** Where a PostgreSQL database is (connection fields of a database). */
export class PgLocationDto {
  @ApiProperty({ example: 'db.internal.example.com', pattern: HOST.source })
  @Matches(HOST, { message: 'host must be a host name or IP address' })
  host: string;

  @ApiPropertyOptional({ type: 'integer', example: 5432, default: 5432, minimum: 1, maximum: 65535 })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number;

  @ApiProperty({ example: 'billing', minLength: 1, maxLength: 63 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(63)
  dbname: string;

  @ApiProperty({
    example: 'backup',
    description: 'A role that may read everything to dump (and restore, if used for restores).',
    minLength: 1,
    maxLength: 63,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(63)
  user: string;

  @ApiPropertyOptional({
    enum: SSL_MODES,
    default: 'prefer',
    description: 'As libpq: `require` and `verify-*` never fall back to plain text.',
  })
  @IsOptionalNonNull()
  @IsIn(SSL_MODES)
  sslmode?: SslMode;
}

export class CreateDatabaseDto extends PgLocationDto {
  @ApiProperty({ example: 'billing-prod', ...nameSchema() })
  @IsName()
  name: string;

  @ApiPropertyOptional({
    example: 's3cr3t',
    nullable: true,
    type: String,
    maxLength: 1000,
    description:
      'Write-only: stored encrypted, never returned. `null` removes it; on PUT and PATCH, leaving it out keeps the stored one.',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(1000)
  password?: string | null;

  @ApiProperty({ format: 'uuid', example: '0b7f3a52-7f0e-4f11-9c39-0d5f4f0f2a10', description: 'Where its dumps go.' })
  @IsUUID()
  storage_id: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'Discord webhook for outcomes.' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsUUID()
  notification_id?: string | null;

  @ApiPropertyOptional({
    example: '0 3 * * *',
    nullable: true,
    type: String,
    maxLength: 100,
    pattern: CRON_PATTERN.source,
    description:
      'Cron (5 fields: minute hour day-of-month month day-of-week), read in `timezone`; it must fire (not `0 0 30 2 *`) and steps stay within their field (`*/15`, not `*/999`). `null`: on demand only.',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsCronSchedule()
  schedule?: string | null;

  @ApiPropertyOptional({
    example: 'Europe/Paris',
    default: 'UTC',
    maxLength: 64,
    pattern: TIME_ZONE_PATTERN.source,
    description:
      'Time zone of the tz database the schedule is read in (canonical names and their aliases, e.g. `Europe/Kyiv`, `Etc/UTC`; not links tzdata dropped such as `US/Pacific-New`).',
  })
  @IsOptionalNonNull()
  @IsKnownTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ default: true, description: 'Scheduled backups run only when enabled.' })
  @IsOptionalNonNull()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ type: RotationPolicyDto, nullable: true, description: 'Keep everything when null.' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @ValidateNested()
  @Type(() => RotationPolicyDto)
  rotation_policy?: RotationPolicyDto | null;

  @ApiPropertyOptional({
    type: RetryPolicyDto,
    description: 'Retries of failed backups; default `{"attempts": 0, "delay_seconds": 60}` (no retry).',
  })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => RetryPolicyDto)
  retry?: RetryPolicyDto;

  @ApiPropertyOptional({
    type: CompressionDto,
    nullable: true,
    example: { algorithm: 'zstd', level: 3 },
    description:
      "How dumps are compressed. Null or left out (the default): zstd level 3 when the pg_dump that runs is 16 or newer, else gzip level 6 (pg_dump's own default). Each backup records what it was made with.",
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @ValidateNested()
  @Type(() => CompressionDto)
  compression?: CompressionDto | null;

  @ApiPropertyOptional({
    type: 'array',
    maxItems: 20,
    items: { type: 'string', pattern: AGE_RECIPIENT.source },
    example: ['age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p'],
    description: 'age recipients (public keys): when set, dumps are encrypted to them before upload.',
  })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(AGE_RECIPIENT, { each: true, message: 'each encryption recipient must be an age public key (age1…)' })
  encryption_recipients?: string[];

  @ApiPropertyOptional({ ...pgNameListSchema, example: ['public'], description: 'Only these schemas (pg_dump -n).' })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(PG_NAME_PATTERN, { each: true, message: PATTERN_MESSAGE })
  include_schemas?: string[];

  @ApiPropertyOptional({ ...pgNameListSchema, example: ['audit'], description: 'Not these schemas (pg_dump -N).' })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(PG_NAME_PATTERN, { each: true, message: PATTERN_MESSAGE })
  exclude_schemas?: string[];

  @ApiPropertyOptional({
    ...pgNameListSchema,
    example: ['public.orders'],
    description: 'Only these tables (pg_dump -t).',
  })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(PG_NAME_PATTERN, { each: true, message: PATTERN_MESSAGE })
  include_tables?: string[];

  @ApiPropertyOptional({
    ...pgNameListSchema,
    example: ['public.sessions'],
    description: 'Not these tables (pg_dump -T).',
  })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(PG_NAME_PATTERN, { each: true, message: PATTERN_MESSAGE })
  exclude_tables?: string[];

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 8760,
    nullable: true,
    example: 48,
    description:
      'How old the newest successful backup may be, in hours, before the database is `stale` (and a staleness alert is sent). `null` (the default): twice the longest gap between the runs of its schedule, e.g. 48 for a daily schedule; without a schedule nothing says how fresh it must be (`unscheduled`).',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(8760)
  max_age_hours?: number | null;

  @ApiPropertyOptional({
    default: false,
    description:
      "Store the roles' password hashes in each backup's roles object (pg_dumpall without --no-role-passwords). Reading them needs a superuser; without one the roles are stored without passwords and the backup says so in its warnings.",
  })
  @IsOptionalNonNull()
  @IsBoolean()
  backup_role_passwords?: boolean;
}

/** What a connection test needs: where the server is, how to sign in, and the compression to check. */
export class TestDatabaseDto extends PickType(CreateDatabaseDto, [
  'host',
  'port',
  'dbname',
  'user',
  'password',
  'sslmode',
  'compression',
] as const) {}

/** Unsaved changes to test on top of a saved database (fields left out keep the saved ones, the password too). */
export class TestDatabaseChangesDto extends PartialType(TestDatabaseDto, { skipNullProperties: false }) {}

/** Every field may be left out; only the nullable ones may be null (skipNullProperties: false). */
/** PATCH: every field may be left out; null only where it means "none". PUT takes CreateDatabaseDto. */
export class UpdateDatabaseDto extends PartialType(CreateDatabaseDto, { skipNullProperties: false }) {}

export class DatabaseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'billing-prod' }) name: string;
  @ApiProperty({ example: 'db.internal.example.com' }) host: string;
  @ApiProperty({ example: 5432 }) port: number;
  @ApiProperty({ example: 'billing' }) dbname: string;
  @ApiProperty({ example: 'backup' }) user: string;
  @ApiProperty({ description: 'A password is stored (never returned).' }) password_set: boolean;
  @ApiProperty({ enum: SSL_MODES }) sslmode: SslMode;
  @ApiProperty({ format: 'uuid' }) storage_id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) notification_id: string | null;
  @ApiProperty({ nullable: true, type: String, example: '0 3 * * *' }) schedule: string | null;
  @ApiProperty({ example: 'UTC' }) timezone: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'At 03:00',
    description: 'The schedule in words (cronstrue); null without a schedule.',
  })
  schedule_description: string | null;
  @ApiProperty({
    type: [String],
    example: ['2027-03-28T03:00:00+02:00'],
    description:
      'The next 5 runs, ISO 8601 with the offset of `timezone` at each (empty without a schedule; shown while paused too). Across DST changes a skipped wall time runs shifted by the gap, a repeated one once (docs/operations.md).',
  })
  next_runs: string[];
  @ApiProperty({ type: RotationPolicyDto, nullable: true }) rotation_policy: RotationPolicyDto | null;
  @ApiProperty({ type: RetryPolicyDto }) retry: RetryPolicyDto;
  @ApiProperty({
    type: CompressionSettingDto,
    nullable: true,
    description:
      'The compression chosen; null: the default (zstd 3 with pg_dump 16 or newer, else gzip 6). Each backup says what it used.',
  })
  compression: CompressionSettingDto | null;
  @ApiProperty({ type: [String] }) encryption_recipients: string[];
  @ApiProperty({ type: [String] }) include_schemas: string[];
  @ApiProperty({ type: [String] }) exclude_schemas: string[];
  @ApiProperty({ type: [String] }) include_tables: string[];
  @ApiProperty({ type: [String] }) exclude_tables: string[];
  @ApiProperty({ description: "Each backup's roles object includes the roles' password hashes." })
  backup_role_passwords: boolean;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 8760,
    example: 48,
    description: 'The maximum age set for the newest success, in hours; null: derived from the schedule.',
  })
  max_age_hours: number | null;
  @ApiProperty({
    type: 'number',
    nullable: true,
    example: 48,
    description:
      'The maximum age in force, in hours: `max_age_hours` when set, else twice the longest gap between the runs of the schedule (fractional for schedules of less than an hour); null when neither applies (no schedule or paused, and no `max_age_hours`).',
  })
  effective_max_age_hours: number | null;
  @ApiProperty({
    enum: [...PROTECTIONS],
    example: 'ok',
    description:
      'Whether the database is protected now (docs/operations.md, "Is it protected?"): `failing` when its newest finished backup failed; `stale` when its newest successful backup still kept is older than `effective_max_age_hours` (or it never succeeded and has been scheduled longer than that); `unscheduled` when nothing says how fresh it must be; `ok` otherwise.',
  })
  protection: Protection;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) last_backup_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}
export class DatabasePageDto extends PageDto(DatabaseDto) {}

export class DatabaseCheckDto {
  @ApiProperty({ example: true }) ok: boolean;
  @ApiProperty({ example: 'Connected to PostgreSQL 15.18; pg_dump 15.18 will be used' }) message: string;
  @ApiProperty({ nullable: true, type: String, example: '15.18' }) server_version: string | null;
  @ApiProperty({ nullable: true, type: String, example: '/usr/lib/postgresql/15/bin/pg_dump' }) pg_dump_path:
    string | null;
  @ApiProperty({ nullable: true, type: String, example: '15.18' }) pg_dump_version: string | null;
}
