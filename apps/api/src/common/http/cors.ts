import { Logger } from '@nestjs/common';
import type { CorsOptions, CorsOptionsDelegate } from '@nestjs/common/interfaces/external/cors-options.interface';
import type { Request } from 'express';
import { commaList, type AppConfig } from '../../config/app-config';

/**
 * CORS_* as a delegate of the `cors` middleware (the one Nest's enableCors mounts), or undefined
 * when no origin is allowed: then no CORS header is ever sent and browsers keep other sites out.
 *
 * A request from an origin not on the list gets no CORS header and goes on as usual: a preflight
 * (OPTIONS) then meets the 405 of ApiExpressAdapter, which a browser treats as a refusal.
 */
export function corsDelegate(config: AppConfig, logger = new Logger('Cors')): CorsOptionsDelegate<Request> | undefined {
  const { env } = config;
  const origins = commaList(env.CORS_ALLOWED_ORIGINS);
  if (origins.length === 0) return undefined;
  const anyOrigin = origins.includes('*');
  const allowed = new Set(origins);
  const options: CorsOptions = {
    methods: commaList(env.CORS_ALLOWED_METHODS),
    allowedHeaders: commaList(env.CORS_ALLOWED_HEADERS),
    exposedHeaders: commaList(env.CORS_EXPOSED_HEADERS),
    credentials: env.CORS_ALLOW_CREDENTIALS,
    maxAge: env.CORS_MAX_AGE,
    optionsSuccessStatus: 204,
  };
  return (request, callback) => {
    const origin = request.headers.origin;
    // No Origin header: not a cross-origin browser request (curl, a server, the console's proxy).
    if (!origin) return callback(null, { origin: false });
    const ok = anyOrigin || allowed.has(origin);
    if (env.CORS_DEBUG) {
      const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'];
      logger.log(
        `${ok ? 'allowed' : 'refused'} origin ${origin} for ${preflight ? `preflight of ${String(preflight)}` : request.method} ${request.path}`,
      );
    }
    // `*` is sent as such (no credentials, see loadConfig); a listed origin is echoed back with Vary: Origin.
    callback(null, { ...options, origin: ok ? (anyOrigin ? '*' : origin) : false });
  };
}
