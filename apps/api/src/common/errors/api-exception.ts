import { HttpException, HttpStatus } from '@nestjs/common';
import type { FieldErrorDto } from './error-response.dto';

/** A domain error with an explicit code; rendered in the common error shape by ApiExceptionFilter. */
export class ApiException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: string,
    message: string,
    readonly errors: FieldErrorDto[] = [],
  ) {
    super(message, status);
  }
}

export class ValidationFailedException extends ApiException {
  constructor(errors: FieldErrorDto[]) {
    super(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', 'Request validation failed', errors);
  }
}

/** 404 for a resource that does not exist or belongs to another tenant (the two look the same). */
export const notFound = (what: string) => new ApiException(HttpStatus.NOT_FOUND, 'NOT_FOUND', `${what} not found`);

/** 409 for a value that must be unique (e.g. a name within the tenant), naming the field. */
export const alreadyTaken = (field: string, message: string) =>
  new ApiException(HttpStatus.CONFLICT, 'ALREADY_EXISTS', message, [{ field, message }]);
