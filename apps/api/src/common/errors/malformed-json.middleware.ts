import { HttpStatus } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ApiException } from './api-exception';

/** Turns body-parser's parse failure into an ApiException, which the global filter renders. */
export function rejectMalformedJson(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  if ((error as { type?: unknown })?.type === 'entity.parse.failed') {
    return next(new ApiException(HttpStatus.BAD_REQUEST, 'INVALID_JSON', 'Request body is not valid JSON'));
  }
  next(error);
}
