import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { PageDto } from '../../../common/pagination/page';
import { IsName, IsOptionalNonNull, nameSchema } from '../../../common/validation/decorators';

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z0-9-]{2,32}$/;
/** An http(s) URL of a host (name, IPv4 or [IPv6]) with an optional port and path: what an S3 client takes. */
const ENDPOINT =
  /^https?:\/\/(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9_])?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?(?:\/[\w.~%!$&'()*+,;=:@/-]*)?$/;
const PATH_PREFIX = /^(?!\/)(?!.*\.\.)[\w./-]{0,200}$/;

export const STORAGE_PROVIDERS = ['s3', 'r2', 'minio', 'local'] as const;
export type StorageProviderName = (typeof STORAGE_PROVIDERS)[number];

/**
 * Which fields each provider needs is checked on the merged result in StorageService
 * (one place for create and update); here only each field's own shape.
 */
export class CreateStorageDto {
  @ApiProperty({ example: 'backups-eu', ...nameSchema() })
  @IsName()
  name: string;

  @ApiProperty({
    enum: STORAGE_PROVIDERS,
    example: 's3',
    description: '`local` keeps dumps under this tenant’s folder of `STORAGE_LOCAL_ROOT` on the server.',
  })
  @IsIn(STORAGE_PROVIDERS)
  provider: StorageProviderName;

  @ApiPropertyOptional({
    example: 'acme-db-backups',
    description: 'Required except for `local`.',
    pattern: BUCKET.source,
  })
  @IsOptionalNonNull()
  @Matches(BUCKET, { message: 'bucket must be a valid bucket name (3-63 characters)' })
  bucket?: string;

  @ApiPropertyOptional({
    example: 'eu-west-1',
    description: '`s3`: the bucket’s region (default us-east-1).',
    pattern: REGION.source,
  })
  @IsOptionalNonNull()
  @Matches(REGION, { message: 'region must look like eu-west-1' })
  region?: string;

  @ApiPropertyOptional({
    example: 'https://<account>.r2.cloudflarestorage.com',
    description:
      'Required for `r2` and `minio`; optional for S3-compatible services under `s3`. `null` removes it (`s3`: back to AWS).',
    nullable: true,
    type: String,
    maxLength: 300,
    pattern: ENDPOINT.source,
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @MaxLength(300)
  @Matches(ENDPOINT, { message: 'endpoint must be an http(s) URL of a host, with an optional port and path' })
  endpoint?: string | null;

  @ApiPropertyOptional({
    example: 'prod/',
    description: 'Key prefix inside the bucket (or folder).',
    maxLength: 200,
    pattern: PATH_PREFIX.source,
  })
  @IsOptionalNonNull()
  @Matches(PATH_PREFIX, {
    message: 'path_prefix must be letters, digits, dots, dashes, underscores and slashes, without ".." or a leading /',
  })
  path_prefix?: string;

  @ApiPropertyOptional({
    description:
      'Path-style addressing (default: on for `minio` and `r2`, and for `s3` with a custom `endpoint` — S3-compatible servers rarely serve virtual-hosted buckets; off for Amazon S3 itself).',
  })
  @IsOptionalNonNull()
  @IsBoolean()
  force_path_style?: boolean;

  @ApiPropertyOptional({
    example: 'AKIAIOSFODNN7EXAMPLE',
    description: 'Access key id; required except for `local`. Stored encrypted; shown in answers.',
    minLength: 1,
    maxLength: 256,
  })
  @IsOptionalNonNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  access_key?: string;

  @ApiPropertyOptional({
    example: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    description:
      'Secret access key; required except for `local`. Write-only: stored encrypted, never returned. On PUT, leaving it out keeps the stored one.',
    minLength: 1,
    maxLength: 256,
  })
  @IsOptionalNonNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  secret_key?: string;
}

/** PATCH: every field may be left out; only `endpoint` may be null (skipNullProperties: false). */
export class UpdateStorageDto extends PartialType(CreateStorageDto, { skipNullProperties: false }) {}

export class StorageDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'backups-eu' }) name: string;
  @ApiProperty({ enum: STORAGE_PROVIDERS }) provider: StorageProviderName;
  @ApiProperty({ nullable: true, type: String, example: 'acme-db-backups' }) bucket: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'eu-west-1' }) region: string | null;
  @ApiProperty({ nullable: true, type: String }) endpoint: string | null;
  @ApiProperty({ example: 'prod/' }) path_prefix: string;
  @ApiProperty() force_path_style: boolean;
  @ApiProperty({ nullable: true, type: String, example: 'AKIAIOSFODNN7EXAMPLE', description: 'The access key id.' })
  access_key: string | null;
  @ApiProperty({ description: 'A secret key is stored (it is never returned).' }) secret_key_set: boolean;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}
export class StoragePageDto extends PageDto(StorageDto) {}
