import { VersioningType, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { ApiExceptionFilter } from './common/errors/api-exception.filter';
import { createValidationPipe } from './common/errors/validation';
import { rejectMalformedJson } from './common/errors/malformed-json.middleware';
import { ApiExpressAdapter } from './common/http/method-not-allowed';
import { refuseMalformedInput } from './common/validation/input-limits';
import { strictenOpenApiDocument } from './common/openapi/strict-document';

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
  app.useBodyParser('json', { limit: '1mb' });
  app.use(rejectMalformedJson);
  // Depth, NUL characters and prototype keys, in the body and the query: 400 naming the field.
  app.use(refuseMalformedInput);
  app.setGlobalPrefix('api');
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  app.disable('x-powered-by');
  // req.ip (rate limits, activity log) comes from X-Forwarded-For only when the peer is one of
  // these proxies; otherwise it is the socket's address, whatever the client claims.
  app.set('trust proxy', config.trustedProxies);
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app, config), {
    jsonDocumentUrl: 'api/docs-json',
    customSiteTitle: 'DumpStation API',
  });
  return app;
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
