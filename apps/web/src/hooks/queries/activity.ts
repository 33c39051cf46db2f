import { listActivityLogsOptions, type ListActivityLogsData } from '@dumpstation/api-client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { PAGE_SIZE } from './keys';

export type ActivityLevel = NonNullable<NonNullable<ListActivityLogsData['query']>['level']>;

/** One page of the current tenant's activity log, newest first. */
export function useActivityLogs(page: number, level: ActivityLevel | null, enabled = true) {
  return useQuery({
    ...listActivityLogsOptions({ query: { page, limit: PAGE_SIZE, ...(level ? { level } : {}) } }),
    enabled,
    placeholderData: keepPreviousData,
  });
}
