import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CRON_PATTERN,
  IsCronSchedule,
  IsKnownTimeZone,
  IsOptionalNonNull,
  TIME_ZONE_PATTERN,
} from '../../../common/validation/decorators';

export class SchedulePreviewQueryDto {
  @ApiProperty({
    example: '0 3 * * *',
    maxLength: 100,
    pattern: CRON_PATTERN.source,
    description: 'Cron (5 fields: minute hour day-of-month month day-of-week), as a database takes it.',
  })
  @IsCronSchedule()
  schedule: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', default: 'UTC', maxLength: 64, pattern: TIME_ZONE_PATTERN.source })
  @IsOptionalNonNull()
  @IsKnownTimeZone()
  timezone?: string;
}

export class SchedulePreviewDto {
  @ApiProperty({ example: 'At 03:00', description: 'The expression in words (cronstrue).' })
  schedule_description: string;

  @ApiProperty({
    type: [String],
    example: ['2027-03-28T03:00:00+02:00'],
    description:
      'The next 5 runs, ISO 8601 with the offset of `timezone` at each. Across DST changes: a skipped wall time runs shifted by the gap, a repeated one once at its first occurrence (docs/operations.md).',
  })
  next_runs: string[];
}
