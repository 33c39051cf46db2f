import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn } from 'class-validator';
import { PageDto } from '../../../common/pagination/page';
import { IsName, IsOptionalNonNull, nameSchema } from '../../../common/validation/decorators';

const ROLES = ['owner', 'admin', 'operator', 'viewer'] as const;

export class CreateApiTokenDto {
  @ApiProperty({ example: 'ci-nightly', description: 'What the token is for.', ...nameSchema() })
  @IsName()
  name: string;

  @ApiProperty({ enum: ROLES, example: 'operator', description: 'At most your own role.' })
  @IsIn(ROLES)
  role: (typeof ROLES)[number];

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2027-01-31T00:00:00Z',
    description: 'Never expires when omitted (`null` is refused: leave the field out).',
  })
  @IsOptionalNonNull()
  @IsDateString({}, { message: 'expires_at must be an ISO 8601 date-time' })
  expires_at?: string;
}

export class ApiTokenDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ci-nightly' }) name: string;
  @ApiProperty({ enum: ROLES }) role: (typeof ROLES)[number];
  @ApiProperty({ example: 'dst_9fK2aQ1x', description: 'The first characters, to recognise it.' }) prefix: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expires_at: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description:
      'When the token was last used, to the minute: set on its first use, then updated at most once a minute while it is in use. `null`: never used.',
  })
  last_used_at: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revoked_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}
export class ApiTokenPageDto extends PageDto(ApiTokenDto) {}

export class CreatedApiTokenDto extends ApiTokenDto {
  @ApiProperty({ example: 'dst_9fK2aQ1x…', description: 'The secret: shown this once, never again.' })
  token: string;
}
