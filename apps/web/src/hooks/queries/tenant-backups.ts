import {
  listDatabasesOptions,
  listMembersOptions,
  listTenantBackupsOptions,
  type ListTenantBackupsData,
} from '@dumpstation/api-client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { livePoll, useLiveEventsUp } from '@/lib/events/live-events';
import { isActive, POLL_MS } from './backups';
import { MAX_PAGE_SIZE, PAGE_SIZE } from './keys';

type TenantBackupQuery = Omit<NonNullable<ListTenantBackupsData['query']>, 'page' | 'limit'>;
/** What the list can be narrowed by; null or absent: not narrowed. */
export type TenantBackupFilters = { [K in keyof TenantBackupQuery]?: TenantBackupQuery[K] | null };
export type BackupTriggerFilter = NonNullable<TenantBackupQuery['trigger']>;

/** Drops the filters that are not set, so the query key and the request carry only real ones. */
function given(filters: TenantBackupFilters): TenantBackupQuery {
  return Object.fromEntries(
    Object.entries(filters).filter(([, value]) => value !== null && value !== undefined && value !== ''),
  ) as TenantBackupQuery;
}

/**
 * One page of the tenant's backups of every database, newest first, narrowed by `filters`;
 * kept fresh by the live events (polled while they are down and a backup on the page runs).
 */
export function useTenantBackups(page: number, filters: TenantBackupFilters, limit = PAGE_SIZE) {
  const up = useLiveEventsUp();
  return useQuery({
    ...listTenantBackupsOptions({ query: { page, limit, ...given(filters) } }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => livePoll(up, query.state.data?.items.some(isActive) ? POLL_MS : false),
  });
}

/** Every database of the tenant (up to the API's largest page), for the database picker. */
export function useDatabaseChoices() {
  return useQuery(listDatabasesOptions({ query: { page: 1, limit: MAX_PAGE_SIZE } }));
}

/** Every member of the tenant (up to the API's largest page), for the user picker. */
export function useMemberChoices(enabled = true) {
  return useQuery({ ...listMembersOptions({ query: { page: 1, limit: MAX_PAGE_SIZE } }), enabled });
}
