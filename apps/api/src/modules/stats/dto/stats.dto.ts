import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsOptionalNonNull } from '../../../common/validation/decorators';
import { PROTECTIONS, type Protection } from '../../protection/protection';

export class StatsQueryDto {
  @ApiPropertyOptional({
    enum: ['all'],
    description:
      'Instance admin only: `all` counts every tenant (the instance). Anyone else passing it gets 403 `FORBIDDEN`.',
  })
  @IsOptionalNonNull()
  @IsIn(['all'])
  tenant?: 'all';
}

/** What one storage holds. */
export class StorageStatsDto {
  @ApiProperty({ format: 'uuid', example: '0b7f3a52-7f0e-4f11-9c39-0d5f4f0f2a10', description: 'The storage.' })
  id: string;

  @ApiProperty({ format: 'uuid', example: '5d1c8f0e-2a4b-4c6d-8e9f-0a1b2c3d4e5f', description: 'Its tenant.' })
  tenant_id: string;

  @ApiProperty({ example: 'backups-eu', description: 'The storage’s name.' })
  name: string;

  @ApiProperty({
    type: 'integer',
    example: 21474836480,
    description:
      'Stored bytes of the successful backups kept there (their archives as stored, after compression and encryption; sidecars not counted). Removed (`deleted`) backups no longer count.',
  })
  bytes: number;

  @ApiProperty({
    type: 'integer',
    example: 42,
    description:
      'How many successful backups are kept there (one archive object each; the sidecar and roles objects beside each are not counted).',
  })
  objects: number;
}

/** One database's protection at a glance. */
export class DatabaseStatsDto {
  @ApiProperty({ format: 'uuid', example: '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', description: 'The database.' })
  id: string;

  @ApiProperty({ format: 'uuid', example: '5d1c8f0e-2a4b-4c6d-8e9f-0a1b2c3d4e5f', description: 'Its tenant.' })
  tenant_id: string;

  @ApiProperty({ example: 'billing-prod', description: 'The database’s name.' })
  name: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2027-03-10T03:00:41.512Z',
    description: 'When its newest successful backup still kept finished; null when none is kept.',
  })
  last_success_at: string | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2027-03-08T03:00:12.004Z',
    description: 'When its newest failed backup finished; null when none failed.',
  })
  last_failure_at: string | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2027-03-11T03:00:00.000Z',
    description: 'The next run of its schedule; null without a schedule or while paused.',
  })
  next_run_at: string | null;

  @ApiProperty({
    enum: [...PROTECTIONS],
    example: 'ok',
    description:
      'Whether it is protected now (docs/operations.md, "Is it protected?"): `failing` (newest finished backup failed), `stale` (newest success older than `max_age_hours`), `unscheduled` (nothing says how fresh it must be), else `ok`.',
  })
  protection: Protection;

  @ApiProperty({
    type: 'number',
    nullable: true,
    example: 48,
    description:
      'The maximum age in force, in hours: the database’s `max_age_hours` when set, else twice the longest gap between its schedule’s runs; null when neither applies.',
  })
  max_age_hours: number | null;
}

/** One UTC day of backups. */
export class DailyStatsDto {
  @ApiProperty({ format: 'date', example: '2027-03-10', description: 'The day (UTC), YYYY-MM-DD.' })
  date: string;

  @ApiProperty({
    type: 'integer',
    example: 24,
    description: 'Backups created that day that succeeded (those since removed by retention included).',
  })
  successes: number;

  @ApiProperty({ type: 'integer', example: 1, description: 'Backups created that day that failed.' })
  failures: number;

  @ApiProperty({
    type: 'integer',
    example: 1073741824,
    description: 'Stored bytes the day’s successful backups wrote (those since removed included).',
  })
  bytes: number;
}

/** `GET /stats`: the documented counters of the current tenant (or of every tenant), and its protection. */
export class StatsDto {
  @ApiProperty({ type: 'integer', example: 12, description: 'Databases configured in the tenant, enabled or not.' })
  total_databases: number;

  @ApiProperty({
    type: 'integer',
    example: 30,
    description:
      'Backups created (scheduled or started by hand) in the last 24 hours, whatever their status: pending and running ones count too.',
  })
  total_backups_24h: number;

  @ApiProperty({
    type: 'integer',
    example: 28,
    description: 'Of `total_backups_24h`, those that ended in `success`.',
  })
  successful_backups_24h: number;

  @ApiProperty({ type: 'integer', example: 1, description: 'Of `total_backups_24h`, those that ended in `failed`.' })
  failed_backups_24h: number;

  @ApiProperty({
    type: 'integer',
    example: 53687091200,
    description:
      'Bytes the tenant’s successful backups occupy in storage (their stored objects, after compression and encryption; the small JSON sidecars are not counted), over every backup still kept, whatever its age. Deleted and rotated backups no longer count.',
  })
  total_storage_bytes: number;

  @ApiProperty({
    type: 'number',
    nullable: true,
    minimum: 0,
    maximum: 1,
    example: 0.975,
    description:
      'Of the backups created in the last 7 days that ended, the share that succeeded: successes / (successes + failures), between 0 and 1; null when none ended. Skipped slots and pending or running backups do not count.',
  })
  success_rate_7d: number | null;

  @ApiProperty({
    type: [StorageStatsDto],
    description: 'Every storage of the tenant, by name, with what its kept successful backups occupy.',
  })
  storages: StorageStatsDto[];

  @ApiProperty({
    type: [DatabaseStatsDto],
    description: 'Every database of the tenant, by name, with its newest outcomes, next run and protection.',
  })
  databases: DatabaseStatsDto[];

  @ApiProperty({
    type: [DailyStatsDto],
    description:
      'The last 30 days (UTC), oldest first, today last: every day present, with zeros when nothing ran. Counts backups by the day they were created.',
  })
  daily: DailyStatsDto[];
}
