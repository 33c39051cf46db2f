import { Skeleton, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { PaginationFooter } from './PaginationFooter';
import { QueryError } from './QueryError';

/** What every paginated list endpoint answers. */
export interface PageOf<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
  total_pages: number;
}

/** The parts of a react-query result that PagedQuery reads. */
export interface PagedQueryState<T> {
  data?: PageOf<T>;
  isError: boolean;
  error: unknown;
}

/**
 * One page of a list query: its items (rendered by `children`) with the page links under them,
 * the error when it failed, a skeleton while it loads.
 */
export function PagedQuery<T>({
  query,
  page,
  onPageChange,
  errorTitle,
  skeletonHeight = 120,
  children,
}: {
  query: PagedQueryState<T>;
  page: number;
  onPageChange: (page: number) => void;
  /** e.g. “Could not load the storage”. */
  errorTitle: string;
  skeletonHeight?: number;
  children: (items: T[], data: PageOf<T>) => ReactNode;
}) {
  if (query.data) {
    return (
      <Stack>
        {children(query.data.items, query.data)}
        <PaginationFooter totalPages={query.data.total_pages} page={page} onChange={onPageChange} />
      </Stack>
    );
  }
  if (query.isError) return <QueryError error={query.error} title={errorTitle} />;
  return <Skeleton height={skeletonHeight} />;
}
