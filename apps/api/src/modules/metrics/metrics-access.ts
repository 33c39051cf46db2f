import { HttpStatus } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../../config/app-config';
import { ApiException } from '../../common/errors/api-exception';

/** Which listener answers a scrape: the API's own port, or the METRICS_PORT one. */
export type MetricsListener = 'api' | 'dedicated';

/** Metrics are served only when protected: by METRICS_TOKEN, or on the separate METRICS_PORT. */
export function metricsEnabled(config: AppConfig): boolean {
  return Boolean(config.env.METRICS_TOKEN || config.env.METRICS_PORT);
}

/** Where /metrics is served: on METRICS_PORT when set (only there), else on the API's port when a token guards it. */
export function servedOn(config: AppConfig): MetricsListener | null {
  if (config.env.METRICS_PORT) return 'dedicated';
  return config.env.METRICS_TOKEN ? 'api' : null;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Whether the Authorization header carries METRICS_TOKEN; compared in constant time (digests of equal length). */
export function carriesToken(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  // Compared even when absent, so that the answer takes as long either way.
  const given = digest(match?.[1] ?? '');
  return timingSafeEqual(given, digest(token)) && match !== null;
}

export const metricsNotServed = () =>
  new ApiException(HttpStatus.NOT_FOUND, 'NOT_FOUND', 'Metrics are not served here');

export const metricsUnauthenticated = () =>
  new ApiException(
    HttpStatus.UNAUTHORIZED,
    'UNAUTHENTICATED',
    'Metrics need the metrics token: send Authorization: Bearer <METRICS_TOKEN>',
  );
