import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { IsOptionalNonNull } from '../../../common/validation/decorators';
import { RotationPolicyDto } from '../../databases/dto/database.dto';

const QueryInteger = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value,
  );

const period = (what: string) => ({
  type: 'integer' as const,
  minimum: 0,
  maximum: 10000,
  description: `Proposed: the newest backup of each of the newest N ${what}.`,
});

/**
 * A proposed policy for the preview, field by field over the stored one: each field given
 * replaces the stored field (so `?min_keep=3` previews the stored policy with min_keep 3).
 * With no stored policy, `type` and `value` are needed.
 */
export class RetentionPreviewQueryDto {
  @ApiPropertyOptional({ enum: ['count', 'days', 'gfs'], description: 'Proposed policy type.' })
  @IsOptionalNonNull()
  @IsIn(['count', 'days', 'gfs'])
  type?: 'count' | 'days' | 'gfs';

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 10000,
    description: 'Proposed value (see rotation_policy).',
  })
  @IsOptionalNonNull()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(10000)
  value?: number;

  @ApiPropertyOptional(period('hours'))
  @IsOptionalNonNull()
  @QueryInteger()
  @IsInt()
  @Min(0)
  @Max(10000)
  hourly?: number;

  @ApiPropertyOptional(period('days'))
  @IsOptionalNonNull()
  @QueryInteger()
  @IsInt()
  @Min(0)
  @Max(10000)
  daily?: number;

  @ApiPropertyOptional(period('ISO weeks'))
  @IsOptionalNonNull()
  @QueryInteger()
  @IsInt()
  @Min(0)
  @Max(10000)
  weekly?: number;

  @ApiPropertyOptional(period('months'))
  @IsOptionalNonNull()
  @QueryInteger()
  @IsInt()
  @Min(0)
  @Max(10000)
  monthly?: number;

  @ApiPropertyOptional(period('years'))
  @IsOptionalNonNull()
  @QueryInteger()
  @IsInt()
  @Min(0)
  @Max(10000)
  yearly?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10000, description: 'Proposed min_keep.' })
  @IsOptionalNonNull()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(10000)
  min_keep?: number;
}

export class RetentionDecisionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'swift-falcon-20261130-030000' }) name: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ example: 'success', description: 'Status of the backup (only successful ones are ever removed).' })
  status: string;
  @ApiProperty({ description: 'Kept (true) or removed by the next run (false).' }) keep: boolean;
  @ApiProperty({
    example: 'newest success; daily 2026-11-30',
    description:
      'Why, e.g. "newest success", "min_keep 3", "newest 7", "keep_last 3", "within 14 days", "daily 2026-11-30", "weekly 2026-W48", "older than 14 days", "beyond the newest 7", "failed: retention removes only successful backups".',
  })
  reason: string;
  @ApiProperty({ type: [String], description: 'Every rule behind `reason`, one per entry.' }) reasons: string[];
}

export class RetentionPreviewDto {
  @ApiProperty({
    type: RotationPolicyDto,
    nullable: true,
    description: 'The policy previewed (null: keep everything).',
  })
  policy: RotationPolicyDto | null;
  @ApiProperty({ description: 'Whether `policy` is the stored one (no proposal in the query).' }) stored: boolean;
  @ApiProperty({ format: 'date-time', description: 'The instant the decisions are made for.' }) now: string;
  @ApiProperty({ example: 10 }) kept: number;
  @ApiProperty({ example: 4, description: 'How many backups the next run would remove.' }) removed: number;
  @ApiProperty({ type: [RetentionDecisionDto], description: 'Every backup not yet deleted, newest first.' })
  backups: RetentionDecisionDto[];
}
