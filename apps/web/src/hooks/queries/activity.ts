import { listActivityLogsOptions, type ListActivityLogsData } from '@dumpstation/api-client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { PAGE_SIZE } from './keys';

type ActivityQuery = NonNullable<ListActivityLogsData['query']>;
export type ActivityLevel = NonNullable<ActivityQuery['level']>;
export type ActivityAction = NonNullable<ActivityQuery['action']>;
export type ActivityResourceType = NonNullable<ActivityQuery['resource_type']>;

/** What the activity log can be narrowed by; null or absent: not narrowed. */
export type ActivityFilters = {
  [K in keyof Omit<ActivityQuery, 'page' | 'limit'>]?: ActivityQuery[K] | null;
};

/** One page of the current tenant's activity log, newest first, optionally filtered. */
export function useActivityLogs(page: number, filters: ActivityFilters = {}, enabled = true) {
  const given = Object.fromEntries(
    Object.entries(filters).filter(([, value]) => value !== null && value !== undefined && value !== ''),
  ) as Omit<ActivityQuery, 'page' | 'limit'>;
  return useQuery({
    ...listActivityLogsOptions({ query: { page, limit: PAGE_SIZE, ...given } }),
    enabled,
    placeholderData: keepPreviousData,
  });
}
