import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageDto, PageQueryDto } from '../../../common/pagination/page';
import { IsOptionalNonNull } from '../../../common/validation/decorators';
import { QueryDateTime, QuerySearch } from '../../../common/validation/query-filters';
import {
  ACTIVITY_ACTIONS,
  ACTIVITY_LEVELS,
  RESOURCE_TYPES,
  type ActivityAction,
  type ActivityLevel,
  type ResourceType,
} from '../activity-kinds';

const LEVELS = Object.keys(ACTIVITY_LEVELS) as ActivityLevel[];

export class ActivityLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ACTIVITY_ACTIONS, example: 'Backup', description: 'Broad category.' })
  @IsOptionalNonNull()
  @IsIn(ACTIVITY_ACTIONS)
  action?: ActivityAction;

  @ApiPropertyOptional({ example: 'backup.finish', maxLength: 100, description: 'Exact event name.' })
  @IsOptionalNonNull()
  @IsString()
  @MaxLength(100)
  event?: string;

  @ApiPropertyOptional({ enum: LEVELS })
  @IsOptionalNonNull()
  @IsIn(LEVELS)
  level?: ActivityLevel;

  @ApiPropertyOptional({ enum: RESOURCE_TYPES, example: 'Database' })
  @IsOptionalNonNull()
  @IsIn(RESOURCE_TYPES)
  resource_type?: ResourceType;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only what this user did.' })
  @IsOptionalNonNull()
  @IsUUID('all', { message: 'user_id must be a UUID' })
  user_id?: string;

  @QueryDateTime('from', 'Only entries recorded at or after this instant.')
  from?: string;

  @QueryDateTime('to', 'Only entries recorded at or before this instant.')
  to?: string;

  @QuerySearch("Only entries whose resource name, event or user's username contains this, ignoring case.", 'billing')
  search?: string;
}

export class ActivityLogDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ACTIVITY_ACTIONS, example: 'Backup', description: 'Broad category.' }) action: ActivityAction;
  @ApiProperty({ example: 'backup.finish', description: 'The precise event.' }) event: string;
  @ApiProperty({ enum: LEVELS, example: 'Info' }) level: ActivityLevel;
  @ApiProperty({ enum: ['success', 'failure'] }) outcome: 'success' | 'failure';
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) user_id: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'alice', description: 'Username of user_id.' })
  user_name: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) api_token_id: string | null;
  @ApiProperty({ enum: RESOURCE_TYPES, nullable: true, type: String, example: 'Database' })
  resource_type: ResourceType | null;
  @ApiProperty({ nullable: true, type: String }) resource_id: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'orders-prod', description: 'Its name when logged.' })
  resource_name: string | null;
  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' }) ip: string | null;
  @ApiProperty({ nullable: true, type: Object, description: 'Action-specific facts (never secrets).' })
  details: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class ActivityLogPageDto extends PageDto(ActivityLogDto) {}
