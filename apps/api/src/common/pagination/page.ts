import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `?page&limit` on every list. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1, example: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, example: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
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
