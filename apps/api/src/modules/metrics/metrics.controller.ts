import { Controller, Get, Header, Headers, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Endpoint } from '../../common/decorators/endpoint.decorator';
import { MetricsService } from './metrics.service';

/**
 * `GET /metrics` at the root (outside /api and versioning), for Prometheus. Not in the OpenAPI
 * document: it answers text, not JSON, is guarded by METRICS_TOKEN rather than a user's or API
 * token (hence "public" to the session guard), and may not be served on this port at all
 * (METRICS_PORT). See docs/metrics.md.
 */
@ApiExcludeController()
@Controller({ path: 'metrics', version: VERSION_NEUTRAL })
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Endpoint({ summary: 'Prometheus metrics', public: true })
  @Header('Cache-Control', 'no-store')
  async getMetrics(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const scrape = await this.metrics.scrape('api', authorization);
    response.setHeader('Content-Type', scrape.contentType);
    return scrape.body;
  }
}
