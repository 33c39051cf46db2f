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
