import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class DatabaseHealthDto {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  status: 'up' | 'down';

  @ApiProperty({ example: 1.7, description: 'Round trip of `SELECT 1`, in milliseconds.' })
  latency_ms: number;

  @ApiPropertyOptional({
    example: 'The database cannot be reached',
    description:
      'Why the database is down, in plain words (`The database cannot be reached`, `… did not answer within 2 s`); never an address or driver message (those are logged).',
  })
  error?: string;
}

export class JobsHealthDto {
  @ApiProperty({
    enum: ['ok', 'no_worker'],
    example: 'ok',
    description:
      '`no_worker` when backups are waiting and no worker process (`APP_ROLE` `worker` or `all`) has been seen within 6 heartbeats: they will not run until one starts.',
  })
  status: 'ok' | 'no_worker';

  @ApiProperty({ example: 0, description: 'Backups queued that no worker has taken yet.' })
  waiting: number;

  @ApiProperty({ example: 2, description: 'Worker processes seen within 6 heartbeats (`JOB_HEARTBEAT_MS`).' })
  workers_seen: number;

  @ApiPropertyOptional({ example: '3 backups are waiting and no worker process has been seen' })
  warning?: string;
}

export class HealthDto {
  @ApiProperty({
    enum: ['ok', 'degraded'],
    example: 'ok',
    description: '`degraded` (HTTP 503) when a dependency is down.',
  })
  status: 'ok' | 'degraded';

  @ApiProperty({ example: '0.1.0' })
  version: string;

  @ApiProperty({ example: 3600.5, description: 'Seconds since this process started.' })
  uptime_seconds: number;

  @ApiProperty({ type: DatabaseHealthDto })
  database: DatabaseHealthDto;

  @ApiPropertyOptional({ type: JobsHealthDto, description: 'The job queue; absent while the database is down.' })
  jobs?: JobsHealthDto;

  @ApiPropertyOptional({
    enum: ['log'],
    example: 'log',
    description:
      'Only on a development or test install (`NODE_ENV` not `production`) with no Discord configured ' +
      '(no `DISCORD_DEFAULT_WEBHOOK_URL`, `DISCORD_BOT_TOKEN` or `SYSTEM_DISCORD_WEBHOOK_URL`): sign-in codes ' +
      'of users without their own webhook are written to the API log (a `DEV ONLY` line). Never present in production.',
  })
  sign_in_code_delivery?: 'log';
}

/** The documented shape of `GET /health`. */
export class ServiceHealthDto {
  @ApiProperty({
    enum: ['healthy', 'unhealthy'],
    example: 'healthy',
    description: '`unhealthy` (HTTP 503) when the API cannot reach its database.',
  })
  status: 'healthy' | 'unhealthy';

  @ApiProperty({
    format: 'date-time',
    example: '2025-12-08T14:30:22.000Z',
    description: 'When the check was made (ISO 8601, UTC).',
  })
  timestamp: string;
}
