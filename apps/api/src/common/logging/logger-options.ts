import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '../../config/app-config';

/** Keys whose values are secret wherever they appear in a log object. */
const SECRET_KEYS = [
  'password',
  'secret',
  'token',
  'otp',
  'code',
  'authorization',
  'cookie',
  'accessKeyId',
  'secretAccessKey',
  'webhookUrl',
  'databaseUrl',
  'connectionString',
  'refresh_token',
  'access_token',
];

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-2fa-token"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

/** JSON logs (one line per event), secrets redacted, one request id per request. */
export function loggerOptions(config: AppConfig): Params {
  return {
    // Express 5 route syntax for "every path" (the default '*' triggers a legacy-syntax warning).
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.env.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage) => {
        const incoming = req.headers['x-request-id'];
        return typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
      },
      // Query strings may carry tokens one day: log the path only.
      serializers: {
        req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
          remoteAddress: req.remoteAddress,
        }),
      },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      // Probes (load balancers poll these every few seconds) would drown everything else.
      autoLogging: { ignore: (req) => /^\/(api\/v1\/)?health(\?|$)/.test(req.url ?? '') },
    },
  };
}
