import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AppConfig } from '../../config/app-config';
import { ApiException } from '../../common/errors/api-exception';
import type { ErrorResponseDto } from '../../common/errors/error-response.dto';
import { METRICS_PATH } from './http-metrics';
import { MetricsService } from './metrics.service';

/**
 * The separate listener of METRICS_PORT (e.g. on a private network): it serves GET /metrics and
 * nothing else, on HOST like the API. Errors in the API's one shape.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server?: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.env.METRICS_PORT;
    if (!port) return;
    const server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.env.HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`Metrics on http://${this.config.env.HOST}:${port}${METRICS_PATH}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const path = new URL(request.url ?? '/', 'http://metrics').pathname;
      if (path !== METRICS_PATH) throw new ApiException(404, 'NOT_FOUND', `Cannot ${request.method} ${path}`);
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.setHeader('Allow', 'GET, HEAD');
        throw new ApiException(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${METRICS_PATH}`);
      }
      const scrape = await this.metrics.scrape('dedicated', request.headers.authorization);
      response.writeHead(200, { 'Content-Type': scrape.contentType, 'Cache-Control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : scrape.body);
    } catch (error) {
      const body: ErrorResponseDto =
        error instanceof ApiException
          ? { status: error.getStatus(), code: error.code, message: error.message, errors: error.errors }
          : { status: 500, code: 'INTERNAL_ERROR', message: 'Internal server error', errors: [] };
      if (body.status >= 500) this.logger.error({ err: error }, 'metrics scrape failed');
      if (response.headersSent) return void response.end();
      response.writeHead(body.status, { 'Content-Type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body));
    }
  }
}
