import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { PageDto, PageQueryDto } from '../../../common/pagination/page';
import { IsOptionalNonNull } from '../../../common/validation/decorators';

const LEVELS = ['info', 'warn', 'error'] as const;

export class ActivityLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'auth.login', maxLength: 100, description: 'Exact action name.' })
  @IsOptionalNonNull()
  @IsString()
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({ enum: LEVELS })
  @IsOptionalNonNull()
  @IsIn(LEVELS)
  level?: (typeof LEVELS)[number];

  @ApiPropertyOptional({ example: 'api_token', maxLength: 100 })
  @IsOptionalNonNull()
  @IsString()
  @MaxLength(100)
  resource_type?: string;
}

export class ActivityLogDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'auth.login' }) action: string;
  @ApiProperty({ enum: LEVELS }) level: 'info' | 'warn' | 'error';
  @ApiProperty({ enum: ['success', 'failure'] }) outcome: 'success' | 'failure';
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) user_id: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) api_token_id: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'membership' }) resource_type: string | null;
  @ApiProperty({ nullable: true, type: String }) resource_id: string | null;
  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' }) ip: string | null;
  @ApiProperty({ nullable: true, type: Object, description: 'Action-specific facts (never secrets).' })
  details: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class ActivityLogPageDto extends PageDto(ActivityLogDto) {}
