import { listActivityLogsOptions, type ListActivityLogsData } from '@dumpstation/api-client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { PAGE_SIZE } from './keys';

type ActivityQuery = NonNullable<ListActivityLogsData['query']>;
export type ActivityLevel = NonNullable<ActivityQuery['level']>;
export type ActivityAction = NonNullable<ActivityQuery['action']>;

/** One page of the current tenant's activity log, newest first, optionally filtered. */
export function useActivityLogs(
  page: number,
  filters: { level?: ActivityLevel | null; action?: ActivityAction | null } = {},
  enabled = true,
) {
  const { level, action } = filters;
  return useQuery({
    ...listActivityLogsOptions({
      query: { page, limit: PAGE_SIZE, ...(level ? { level } : {}), ...(action ? { action } : {}) },
    }),
    enabled,
    placeholderData: keepPreviousData,
  });
}
