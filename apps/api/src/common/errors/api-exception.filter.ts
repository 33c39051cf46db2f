import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { isDatabaseUnavailable } from '../../prisma/prisma-errors';
import { ApiException } from './api-exception';
import type { ErrorResponseDto } from './error-response.dto';

const CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
};

/** What a client is told while the service's own database is down: nothing about where it is. */
export const DATABASE_UNAVAILABLE_MESSAGE =
  'The service is temporarily unavailable: its database cannot be reached. Try again shortly.';
/** Seconds a client should wait before retrying then. */
const RETRY_AFTER_SECONDS = '5';

/** Renders every error, ours or the framework's, in the one ErrorResponseDto shape. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    const databaseDown = isDatabaseUnavailable(exception);
    if (databaseDown) {
      // The cause (Prisma's text, the database's address) goes to the log only.
      this.logger.error({ err: exception }, 'The service database is unavailable');
    } else if (body.status >= 500) {
      // The client gets a generic message; the cause goes to the log only.
      this.logger.error({ err: exception }, 'Unhandled error');
    }
    if (response.headersSent) return;
    if (databaseDown) response.setHeader('Retry-After', RETRY_AFTER_SECONDS);
    response.status(body.status).json(body);
  }

  private toBody(exception: unknown): ErrorResponseDto {
    if (exception instanceof ApiException) {
      return {
        status: exception.getStatus(),
        code: exception.code,
        message: exception.message,
        errors: exception.errors,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      const message =
        typeof payload === 'string'
          ? payload
          : Array.isArray((payload as { message?: unknown }).message)
            ? (payload as { message: string[] }).message.join('; ')
            : String((payload as { message?: unknown }).message ?? exception.message);
      return { status, code: CODES[status] ?? `HTTP_${status}`, message, errors: [] };
    }
    // body-parser signals malformed JSON and oversized bodies with a plain error carrying a status.
    const status = (exception as { status?: unknown; type?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (exception as { type?: unknown }).type;
      if (type === 'entity.parse.failed') {
        return { status, code: 'INVALID_JSON', message: 'Request body is not valid JSON', errors: [] };
      }
      return { status, code: CODES[status] ?? `HTTP_${status}`, message: (exception as Error).message, errors: [] };
    }
    if (isDatabaseUnavailable(exception)) {
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        code: 'SERVICE_UNAVAILABLE',
        message: DATABASE_UNAVAILABLE_MESSAGE,
        errors: [],
      };
    }
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      code: 'INTERNAL_ERROR',
      message: 'Internal server error',
      errors: [],
    };
  }
}
