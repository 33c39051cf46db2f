import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { PageDto, PageQueryDto } from '../../../common/pagination/page';
import { IsOptionalNonNull } from '../../../common/validation/decorators';
import { PG_NAME_PATTERN, PgLocationDto, pgNameListSchema } from '../../databases/dto/database.dto';

const STATUSES = ['pending', 'running', 'success', 'failed'] as const;
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
  @ApiProperty({ enum: ['manual', 'scheduled', 'api'], example: 'manual' }) trigger: 'manual' | 'scheduled' | 'api';
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
  @ApiProperty() encrypted: boolean;
  @ApiProperty({ type: [String] }) encryption_recipients: string[];
  @ApiProperty({ nullable: true, type: String, example: 'pg_dump failed: pg_dump: error: connection refused' })
  error_message: string | null;
  @ApiProperty({ type: [String], description: 'Warnings pg_dump printed.' }) warnings: string[];
  @ApiProperty({ format: 'date-time' }) created_at: string;
}
export class BackupPageDto extends PageDto(BackupDto) {}

export class VerifyResultDto {
  @ApiProperty({ example: true }) ok: boolean;
  @ApiProperty({ example: 'Checksums match and pg_restore lists 42 entries' }) message: string;
  @ApiProperty({ nullable: true, type: Number, example: 42 }) toc_entries: number | null;
}

export class RestoreTargetDto extends PgLocationDto {
  @ApiPropertyOptional({
    example: 's3cr3t',
    maxLength: 1000,
    description: 'Stored encrypted while the restore runs; never returned.',
  })
  @IsOptionalNonNull()
  @IsString()
  @MaxLength(1000)
  password?: string;
}

export class RestoreRequestDto {
  @ApiPropertyOptional({
    type: RestoreTargetDto,
    description: 'Another database to restore into; the source database when omitted.',
  })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => RestoreTargetDto)
  target?: RestoreTargetDto;

  @ApiPropertyOptional({
    default: false,
    description: 'Drop the objects being restored first (pg_restore --clean --if-exists).',
  })
  @IsOptionalNonNull()
  @IsBoolean()
  clean?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Create the target database first (it must not exist).' })
  @IsOptionalNonNull()
  @IsBoolean()
  create?: boolean;

  @ApiPropertyOptional({
    default: true,
    description: 'Skip ownership and privileges (pg_restore --no-owner --no-privileges).',
  })
  @IsOptionalNonNull()
  @IsBoolean()
  no_owner?: boolean;

  @ApiPropertyOptional({ ...pgNameListSchema, example: ['public'], description: 'Only these schemas.' })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(PG_NAME_PATTERN, { each: true, message: 'each schema must be a name (not starting with "-" or a space)' })
  schemas?: string[];

  @ApiPropertyOptional({ ...pgNameListSchema, example: ['orders'], description: 'Only these tables.' })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(PG_NAME_PATTERN, { each: true, message: 'each table must be a name (not starting with "-" or a space)' })
  tables?: string[];
}

export class RestoreDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) backup_id: string;
  @ApiProperty({ enum: STATUSES, example: 'success' }) status: JobStatusName;
  @ApiProperty({ description: 'Into the source database (true) or another target.' }) into_source: boolean;
  @ApiProperty({ nullable: true, type: String, example: 'staging-db.internal' }) target_host: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 5432 }) target_port: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'billing_restored' }) target_dbname: string | null;
  @ApiProperty() clean: boolean;
  @ApiProperty() create: boolean;
  @ApiProperty() no_owner: boolean;
  @ApiProperty({ type: [String] }) schemas: string[];
  @ApiProperty({ type: [String] }) tables: string[];
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) started_at: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finished_at: string | null;
  @ApiProperty({ nullable: true, type: Number }) duration_ms: number | null;
  @ApiProperty({ nullable: true, type: String }) error_message: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}
