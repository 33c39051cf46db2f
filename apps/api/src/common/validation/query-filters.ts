import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsString, MaxLength } from 'class-validator';
import { IsOptionalNonNull } from './decorators';

/** The longest `search` a list takes. */
export const MAX_SEARCH_LENGTH = 100;

/**
 * `?from` / `?to` on a list: an ISO 8601 date-time (or a date: midnight UTC) bounding `created_at`,
 * both ends included. A value that is not one: 400 naming the field.
 */
export function QueryDateTime(field: 'from' | 'to', description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      format: 'date-time',
      example: field === 'from' ? '2025-12-01T00:00:00Z' : '2025-12-31T23:59:59Z',
      description,
    }),
    IsOptionalNonNull(),
    IsDateString({ strict: true }, { message: `${field} must be an ISO 8601 date-time` }),
  );
}

/** `?search`: a case-insensitive substring, at most MAX_SEARCH_LENGTH characters. */
export function QuerySearch(description: string, example: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ maxLength: MAX_SEARCH_LENGTH, example, description }),
    IsOptionalNonNull(),
    IsString({ message: 'search must be a string' }),
    MaxLength(MAX_SEARCH_LENGTH, { message: `search must be at most ${MAX_SEARCH_LENGTH} characters` }),
  );
}

/** A Prisma range on `created_at` from `?from` / `?to`; undefined when neither is given. */
export function createdBetween(from?: string, to?: string): { gte?: Date; lte?: Date } | undefined {
  if (!from && !to) return undefined;
  return { ...(from ? { gte: new Date(from) } : {}), ...(to ? { lte: new Date(to) } : {}) };
}
