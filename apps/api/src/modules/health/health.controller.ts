import { Controller, Get, HttpStatus, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Endpoint } from '../../common/decorators/endpoint.decorator';
import { HealthDto, ServiceHealthDto } from './dto/health.dto';
import { HealthService } from './health.service';

// Version-neutral with "v1" spelled out: the global prefix excludes the path `health` (for the root
// probe below), and Nest tests a versioned route against that exclusion without its /v1.
@ApiTags('health')
@Controller({ path: 'v1/health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Endpoint({
    summary: 'Service health',
    description: 'Reports whether the API can reach its own database. Public, for load balancers and probes.',
    public: true,
  })
  @ApiOkResponse({ type: HealthDto, description: 'The API and its database are up.' })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'The database is unreachable.' })
  async getHealth(@Res({ passthrough: true }) response: Response): Promise<HealthDto> {
    const report = await this.health.check();
    response.status(report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}

/** `GET /health` at the root, outside /api and versioning: the address load balancers are given. */
@ApiTags('health')
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class RootHealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Endpoint({
    summary: 'Service health at the root, for load balancers',
    description:
      'The same check as `GET /api/v1/health` (can the API reach its own database?), answered in two words: `healthy` with 200 or `unhealthy` with 503.',
    public: true,
  })
  @ApiOkResponse({ type: ServiceHealthDto, description: 'The API and its database are up.' })
  @ApiServiceUnavailableResponse({ type: ServiceHealthDto, description: 'The database is unreachable.' })
  async getServiceHealth(@Res({ passthrough: true }) response: Response): Promise<ServiceHealthDto> {
    const report = await this.health.probe();
    response.status(report.status === 'healthy' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
