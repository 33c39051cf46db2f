import { RequestMethod, VersioningType, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Application, NextFunction, Request, Response } from 'express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { ApiExceptionFilter } from './common/errors/api-exception.filter';
import { createValidationPipe } from './common/errors/validation';
import { rejectMalformedJson } from './common/errors/malformed-json.middleware';
import { corsDelegate } from './common/http/cors';
import { ApiExpressAdapter } from './common/http/method-not-allowed';
import { refuseMalformedInput } from './common/validation/input-limits';
import { strictenOpenApiDocument } from './common/openapi/strict-document';
import { HttpMetrics } from './modules/metrics/http-metrics';

/**
 * Builds the application exactly as it serves: used by main.ts, the OpenAPI script and tests.
 * Tests may pass a root module that mounts probe controllers next to AppModule.
 */
export async function createApp(
  config: AppConfig,
  rootModule: Parameters<typeof NestFactory.create>[0] = AppModule.forRoot(config),
): Promise<NestExpressApplication> {
  // The JSON parser is registered by hand below, so that its errors get our error shape.
  // ApiExpressAdapter answers known paths with 405 + Allow for methods they do not serve.
  const app = await NestFactory.create<NestExpressApplication>(rootModule, new ApiExpressAdapter(), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // Times every answer, preflights and errors too, for /metrics (a no-op unless metrics are on).
  // It answers nothing itself: CORS below still comes before anything that does.
  app.use(app.get(HttpMetrics).middleware);
  // First, so that a preflight is answered before anything else and every answer (errors too)
  // carries the CORS headers. Off unless CORS_ALLOWED_ORIGINS lists origins.
  const cors = corsDelegate(config);
  if (cors) app.enableCors(cors);
  app.useBodyParser('json', { limit: '1mb' });
  app.use(rejectMalformedJson);
  // Depth, NUL characters and prototype keys, in the body and the query: 400 naming the field.
  app.use(refuseMalformedInput);
  // GET /health stays at the root for load balancers (RootHealthController, version-neutral),
  // and GET /metrics for Prometheus (MetricsController).
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  app.disable('x-powered-by');
  // req.ip (rate limits, activity log) comes from X-Forwarded-For only when the peer is one of
  // these proxies; otherwise it is the socket's address, whatever the client claims.
  app.set('trust proxy', config.trustedProxies);
  let document: OpenAPIObject | undefined;
  const documentFactory = () => (document ??= buildOpenApiDocument(app, config));
  SwaggerModule.setup('api/docs', app, documentFactory, {
    jsonDocumentUrl: 'api/docs-json',
    customSiteTitle: 'DumpStation API',
  });
  serveSwaggerUiAtDocumentedAddress(app, documentFactory);
  return app;
}

/**
 * The UI also at /swagger/index.html, the address DumpStation's README gives; /swagger and
 * /swagger/ redirect there. Nest's page for /swagger/index.html points its assets one folder too
 * deep (./swagger/…) when the UI is mounted one segment below the root, so that address is served
 * as /swagger/ is, whose page loads them from ./ (the same folder).
 */
function serveSwaggerUiAtDocumentedAddress(app: NestExpressApplication, documentFactory: () => OpenAPIObject): void {
  const express = app.getHttpAdapter().getInstance() as Application;
  // (Express matches /swagger/ with the /swagger route.)
  express.get('/swagger', (_req: Request, res: Response) => res.redirect(302, '/swagger/index.html'));
  express.get('/swagger/index.html', (req: Request, _res: Response, next: NextFunction) => {
    // Nest picks the page by the original URL's trailing slash.
    req.url = req.originalUrl = '/swagger/';
    next();
  });
  SwaggerModule.setup('swagger', app, documentFactory, { raw: false, customSiteTitle: 'DumpStation API' });
}

export function buildOpenApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  const document = new DocumentBuilder()
    .setTitle('DumpStation API')
    .setDescription(
      'Back up PostgreSQL databases on schedules or on demand, store the dumps on S3-compatible or local storage, and restore them. ' +
        'Every error has the shape `{status, code, message, errors[]}`.',
    )
    .setVersion(config.version)
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'An access token from /auth/verify or /auth/refresh, or an API token (dst_…).',
    })
    .build();
  // Operation ids are the handler names (getHealth), so the generated client reads naturally.
  // Then made as strict as the validation pipe: unknown properties refused, no NUL in strings.
  return strictenOpenApiDocument(
    SwaggerModule.createDocument(app, document, { operationIdFactory: (_controller, method) => method }),
  );
}
