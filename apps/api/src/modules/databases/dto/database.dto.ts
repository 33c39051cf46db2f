import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { validateCronExpression } from 'cron';
import { PageDto } from '../../../common/pagination/page';
import { SSL_MODES, type SslMode } from '../../../engine/pg-connection';

@ValidatorConstraint({ name: 'cron' })
class IsCronExpression implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && value.trim().split(/\s+/).length === 5 && validateCronExpression(value).valid;
  }
  defaultMessage(): string {
    return 'schedule must be a 5-field cron expression, e.g. "0 3 * * *"';
  }
}

/** A schema or table name/pattern as pg_dump and pg_restore take it (one argv element, never read as an option). */
export const PG_NAME_PATTERN = /^[^\s-][^\0]{0,126}$/;
const PATTERN_MESSAGE = 'each entry must be a schema or table name/pattern (not starting with "-" or a space)';
/** age X25519 recipients: bech32 "age1" + 58 characters. */
const AGE_RECIPIENT = /^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/;

export class RotationPolicyDto {
  @ApiProperty({
    enum: ['count', 'days'],
    example: 'count',
    description: '`count`: keep the newest N; `days`: keep N days.',
  })
  @IsIn(['count', 'days'])
  type: 'count' | 'days';

  @ApiProperty({ example: 7, minimum: 1, maximum: 10000 })
  @IsInt()
  @Min(1)
  @Max(10000)
  value: number;
}

/** Where a PostgreSQL database is: shared by databases and restore targets. */
export class PgLocationDto {
  @ApiProperty({ example: 'db.internal.example.com' })
  @Matches(/^[A-Za-z0-9._:-]{1,253}$/, { message: 'host must be a host name or IP address' })
  host: string;

  @ApiPropertyOptional({ example: 5432, default: 5432 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number;

  @ApiProperty({ example: 'billing' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(63)
  dbname: string;

  @ApiProperty({
    example: 'backup',
    description: 'A role that may read everything to dump (and restore, if used for restores).',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(63)
  username: string;

  @ApiPropertyOptional({
    enum: SSL_MODES,
    default: 'prefer',
    description: 'As libpq: `require` and `verify-*` never fall back to plain text.',
  })
  @IsOptional()
  @IsIn(SSL_MODES)
  sslmode?: SslMode;
}

export class CreateDatabaseDto extends PgLocationDto {
  @ApiProperty({ example: 'billing-prod' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({
    example: 's3cr3t',
    nullable: true,
    type: String,
    description: 'Write-only: stored encrypted, never returned. `null` removes it.',
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
    description: 'Cron (5 fields); none: on demand only.',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Validate(IsCronExpression)
  schedule?: string | null;

  @ApiPropertyOptional({
    example: 'Europe/Paris',
    default: 'UTC',
    description: 'IANA time zone the schedule is read in.',
  })
  @IsOptional()
  @IsTimeZone({ message: 'timezone must be an IANA time zone, e.g. Europe/Paris' })
  timezone?: string;

  @ApiPropertyOptional({ default: true, description: 'Scheduled backups run only when enabled.' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ type: RotationPolicyDto, nullable: true, description: 'Keep everything when null.' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @ValidateNested()
  @Type(() => RotationPolicyDto)
  rotation_policy?: RotationPolicyDto | null;

  @ApiPropertyOptional({
    type: [String],
    example: ['age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p'],
    description: 'age recipients (public keys): when set, dumps are encrypted to them before upload.',
  })
  @IsOptional()
  @ArrayMaxSize(20)
  @Matches(AGE_RECIPIENT, { each: true, message: 'each encryption recipient must be an age public key (age1…)' })
  encryption_recipients?: string[];

  @ApiPropertyOptional({ type: [String], example: ['public'], description: 'Only these schemas (pg_dump -n).' })
  @IsOptional()
  @ArrayMaxSize(100)
  @Matches(PG_NAME_PATTERN, { each: true, message: PATTERN_MESSAGE })
  include_schemas?: string[];

  @ApiPropertyOptional({ type: [String], example: ['audit'], description: 'Not these schemas (pg_dump -N).' })
  @IsOptional()
  @ArrayMaxSize(100)
  @Matches(PG_NAME_PATTERN, { each: true, message: PATTERN_MESSAGE })
  exclude_schemas?: string[];

  @ApiPropertyOptional({ type: [String], example: ['public.orders'], description: 'Only these tables (pg_dump -t).' })
  @IsOptional()
  @ArrayMaxSize(100)
  @Matches(PG_NAME_PATTERN, { each: true, message: PATTERN_MESSAGE })
  include_tables?: string[];

  @ApiPropertyOptional({ type: [String], example: ['public.sessions'], description: 'Not these tables (pg_dump -T).' })
  @IsOptional()
  @ArrayMaxSize(100)
  @Matches(PG_NAME_PATTERN, { each: true, message: PATTERN_MESSAGE })
  exclude_tables?: string[];
}

export class UpdateDatabaseDto extends PartialType(CreateDatabaseDto) {}

export class DatabaseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'billing-prod' }) name: string;
  @ApiProperty({ example: 'db.internal.example.com' }) host: string;
  @ApiProperty({ example: 5432 }) port: number;
  @ApiProperty({ example: 'billing' }) dbname: string;
  @ApiProperty({ example: 'backup' }) username: string;
  @ApiProperty({ description: 'A password is stored (never returned).' }) password_set: boolean;
  @ApiProperty({ enum: SSL_MODES }) sslmode: SslMode;
  @ApiProperty({ format: 'uuid' }) storage_id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) notification_id: string | null;
  @ApiProperty({ nullable: true, type: String, example: '0 3 * * *' }) schedule: string | null;
  @ApiProperty({ example: 'UTC' }) timezone: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: RotationPolicyDto, nullable: true }) rotation_policy: RotationPolicyDto | null;
  @ApiProperty({ type: [String] }) encryption_recipients: string[];
  @ApiProperty({ type: [String] }) include_schemas: string[];
  @ApiProperty({ type: [String] }) exclude_schemas: string[];
  @ApiProperty({ type: [String] }) include_tables: string[];
  @ApiProperty({ type: [String] }) exclude_tables: string[];
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
