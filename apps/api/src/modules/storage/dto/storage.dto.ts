import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { PageDto } from '../../../common/pagination/page';

export const STORAGE_PROVIDERS = ['s3', 'r2', 'minio', 'local'] as const;
export type StorageProviderName = (typeof STORAGE_PROVIDERS)[number];

/**
 * Which fields each provider needs is checked on the merged result in StorageService
 * (one place for create and update); here only each field's own shape.
 */
export class CreateStorageDto {
  @ApiProperty({ example: 'backups-eu' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({
    enum: STORAGE_PROVIDERS,
    example: 's3',
    description: '`local` keeps dumps under this tenant’s folder of `STORAGE_LOCAL_ROOT` on the server.',
  })
  @IsIn(STORAGE_PROVIDERS)
  provider: StorageProviderName;

  @ApiPropertyOptional({ example: 'acme-db-backups', description: 'Required except for `local`.' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'bucket must be a valid bucket name (3-63 characters)' })
  bucket?: string;

  @ApiPropertyOptional({ example: 'eu-west-1', description: '`s3`: the bucket’s region (default us-east-1).' })
  @IsOptional()
  @Matches(/^[a-z0-9-]{2,32}$/, { message: 'region must look like eu-west-1' })
  region?: string;

  @ApiPropertyOptional({
    example: 'https://<account>.r2.cloudflarestorage.com',
    description: 'Required for `r2` and `minio`; optional for S3-compatible services under `s3`.',
  })
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    {
      message: 'endpoint must be an http(s) URL',
    },
  )
  endpoint?: string;

  @ApiPropertyOptional({ example: 'prod/', description: 'Key prefix inside the bucket (or folder).' })
  @IsOptional()
  @Matches(/^(?!\/)(?!.*\.\.)[\w./-]{0,200}$/, {
    message: 'path_prefix must be letters, digits, dots, dashes, underscores and slashes, without ".." or a leading /',
  })
  path_prefix?: string;

  @ApiPropertyOptional({ description: 'Path-style addressing (default: on for `minio` and `r2`, off for `s3`).' })
  @IsOptional()
  @IsBoolean()
  force_path_style?: boolean;

  @ApiPropertyOptional({ example: 'AKIAIOSFODNN7EXAMPLE', description: 'Write-only; required except for `local`.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  access_key_id?: string;

  @ApiPropertyOptional({
    example: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    description: 'Write-only; required except for `local`.',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  secret_access_key?: string;
}

export class UpdateStorageDto extends PartialType(CreateStorageDto) {}

export class StorageDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'backups-eu' }) name: string;
  @ApiProperty({ enum: STORAGE_PROVIDERS }) provider: StorageProviderName;
  @ApiProperty({ nullable: true, type: String, example: 'acme-db-backups' }) bucket: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'eu-west-1' }) region: string | null;
  @ApiProperty({ nullable: true, type: String }) endpoint: string | null;
  @ApiProperty({ example: 'prod/' }) path_prefix: string;
  @ApiProperty() force_path_style: boolean;
  @ApiProperty({ description: 'An access key id is stored (never returned).' }) access_key_id_set: boolean;
  @ApiProperty({ description: 'A secret access key is stored (never returned).' }) secret_access_key_set: boolean;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}
export class StoragePageDto extends PageDto(StorageDto) {}
