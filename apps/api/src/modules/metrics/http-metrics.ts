import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Histogram } from 'prom-client';
import { AppConfig } from '../../config/app-config';
import { metricsEnabled } from './metrics-access';

/** The address of the metrics themselves: scrapes are not counted as requests. */
export const METRICS_PATH = '/metrics';
/** The `route` of a request no route answered (unknown path, static file, CORS preflight). */
export const UNMATCHED_ROUTE = 'unmatched';

/** The route template the request matched (`/api/v1/databases/:id`), never its URL. */
export function routeTemplate(request: Request): string {
  const path = (request.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${request.baseUrl}${path}` : UNMATCHED_ROUTE;
}

/**
 * The one per-process metric: how long this process took to answer HTTP requests, by method,
 * route template and status code. Recorded by an Express middleware that sees every answer,
 * those of guards and filters (401, 404) included.
 */
@Injectable()
export class HttpMetrics {
  readonly requestDuration = new Histogram({
    name: 'dumpstation_http_request_duration_seconds',
    help: 'How long this process took to answer HTTP requests, by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [],
  });
  private readonly enabled: boolean;

  constructor(config: AppConfig) {
    this.enabled = metricsEnabled(config);
  }

  /** Times the request until its answer is sent. */
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    if (!this.enabled || request.path === METRICS_PATH) return next();
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.requestDuration.observe(
        { method: request.method, route: routeTemplate(request), status_code: String(response.statusCode) },
        seconds,
      );
    });
    next();
  };
}
