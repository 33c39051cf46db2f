import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';

export const IS_PUBLIC_ROUTE = 'dumpstation:public';

export interface EndpointOptions {
  summary: string;
  description?: string;
  /** Reachable without credentials. Every other route will require authentication. */
  public?: boolean;
  /** Error statuses this route can answer besides 500, documented with the common error shape. */
  errors?: number[];
}

/** One decorator per route: Swagger summary, access rule and documented error responses in one place. */
export function Endpoint(options: EndpointOptions): MethodDecorator {
  const errors = [...new Set([...(options.errors ?? []), 500])].sort();
  return applyDecorators(
    ApiOperation({ summary: options.summary, description: options.description }),
    SetMetadata(IS_PUBLIC_ROUTE, options.public === true),
    ...errors.map((status) => ApiResponse({ status, type: ErrorResponseDto, description: `Error (${status})` })),
  );
}
