import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { IsOptionalNonNull } from '../validation/decorators';

/** Highest page a list serves: far beyond any real list, and (page - 1) * limit stays a safe offset. */
export const MAX_PAGE = 1_000_000;
export const MAX_LIMIT = 100;

/**
 * A query integer: only plain decimal digits become a number (`1e3`, `0x10`, ` 5`, `1.5` stay
 * strings and fail @IsInt), and never one past what Number holds exactly.
 */
const QueryInteger = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value,
  );
const between = (field: string, max: number) => ({ message: `${field} must be an integer from 1 to ${max}` });

/** `?page&limit` on every list. */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1, example: 1 })
  @IsOptionalNonNull()
  @QueryInteger()
  @IsInt(between('page', MAX_PAGE))
  @Min(1, between('page', MAX_PAGE))
  @Max(MAX_PAGE, between('page', MAX_PAGE))
  page: number = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 20, example: 20 })
  @IsOptionalNonNull()
  @QueryInteger()
  @IsInt(between('limit', MAX_LIMIT))
  @Min(1, between('limit', MAX_LIMIT))
  @Max(MAX_LIMIT, between('limit', MAX_LIMIT))
  limit: number = 20;
}

/** The one list shape. */
export interface Page<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
  total_pages: number;
}

export function pageOf<T>(items: T[], total: number, query: PageQueryDto): Page<T> {
  return { items, page: query.page, limit: query.limit, total, total_pages: Math.ceil(total / query.limit) };
}

export function skipTake(query: PageQueryDto): { skip: number; take: number } {
  return { skip: (query.page - 1) * query.limit, take: query.limit };
}

/** Base for a Swagger class of `Page<Item>`: `class ItemPageDto extends PageDto(ItemDto) {}`. */
export function PageDto<T>(item: new () => T) {
  class PageOfItems implements Page<T> {
    @ApiProperty({ type: [item] })
    items: T[];
    @ApiProperty({ example: 1 })
    page: number;
    @ApiProperty({ example: 20 })
    limit: number;
    @ApiProperty({ example: 42 })
    total: number;
    @ApiProperty({ example: 3 })
    total_pages: number;
  }
  return PageOfItems;
}
