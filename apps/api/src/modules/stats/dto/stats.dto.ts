import { ApiProperty } from '@nestjs/swagger';

/** `GET /stats`: the documented counters of the current tenant. */
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
}
