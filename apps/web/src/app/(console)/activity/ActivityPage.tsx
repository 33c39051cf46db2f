'use client';

import { Card, Group, Stack, Text } from '@mantine/core';
import type { ActivityLogDto } from '@dumpstation/api-client';
import { ActivityTable } from '@/components/Activity/ActivityTable';
import { removes, type ResourceGone } from '@/components/Activity/resource-links';
import { DateRangeFilter, SearchFilter } from '@/components/Common/ListFilters';
import { FilterSelect } from '@/components/Common/FilterSelect';
import { PagedQuery } from '@/components/Common/PagedQuery';
import { PageHeader } from '@/components/Common/PageHeader';
import { RequireRole } from '@/components/Common/RequireRole';
import {
  useActivityLogs,
  type ActivityAction,
  type ActivityLevel,
  type ActivityResourceType,
} from '@/hooks/queries/activity';
import { useNotificationChoices } from '@/hooks/queries/notifications';
import { useStats } from '@/hooks/queries/stats';
import { useStorageChoices } from '@/hooks/queries/storage';
import { useMemberChoices } from '@/hooks/queries/tenant-backups';
import { dayBound, oneOf, useUrlFilters, uuidOrNull } from '@/lib/url-filters';

const LEVELS: { value: ActivityLevel; label: string }[] = [
  { value: 'Info', label: 'Info' },
  { value: 'Warning', label: 'Warnings' },
  { value: 'Error', label: 'Errors' },
];

const ACTIONS: { value: ActivityAction; label: string }[] = [
  { value: 'Create', label: 'Created' },
  { value: 'Update', label: 'Changed' },
  { value: 'Delete', label: 'Deleted' },
  { value: 'Backup', label: 'Backups' },
  { value: 'Restore', label: 'Restores' },
  { value: 'Login', label: 'Sign-ins' },
  { value: 'Test', label: 'Connection tests' },
];

const RESOURCE_TYPES: { value: ActivityResourceType; label: string }[] = [
  { value: 'Database', label: 'Databases' },
  { value: 'Backup', label: 'Backups' },
  { value: 'Restore', label: 'Restores' },
  { value: 'Storage', label: 'Storage' },
  { value: 'Notification', label: 'Notifications' },
  { value: 'User', label: 'Users' },
  { value: 'ApiToken', label: 'API tokens' },
  { value: 'Membership', label: 'Members' },
  { value: 'Invitation', label: 'Invitations' },
  { value: 'Tenant', label: 'Tenant' },
];

const FILTERS = ['action', 'level', 'resource', 'user', 'from', 'to', 'search'] as const;
const values = <T extends string>(options: { value: T }[]) => options.map((option) => option.value);

/** Ids in a list that holds every one of its kind (undefined while loading or when it holds only a page). */
function everyId(data: { items: { id: string }[]; total: number } | undefined): Set<string> | undefined {
  return data && data.items.length >= data.total ? new Set(data.items.map((item) => item.id)) : undefined;
}

/**
 * Whether an entry's resource is gone: removed by an entry on this page, or missing from the
 * tenant's databases, storages or notifications (the lists the console already holds).
 */
function useGone(entries: ActivityLogDto[]): ResourceGone {
  const databases = useStats().data?.databases;
  const storages = everyId(useStorageChoices().data);
  const notifications = everyId(useNotificationChoices().data);
  const removed = new Set(entries.filter(removes).map((entry) => entry.resource_id));
  const existing: Partial<Record<string, Set<string> | undefined>> = {
    Database: databases ? new Set(databases.map((database) => database.id)) : undefined,
    Storage: storages,
    Notification: notifications,
  };
  return (entry) => {
    if (!entry.resource_id) return true;
    if (removed.has(entry.resource_id)) return true;
    const known = entry.resource_type ? existing[entry.resource_type] : undefined;
    return known ? !known.has(entry.resource_id) : false;
  };
}

function ActivityLog() {
  const { values: url, setFilters, page, setPage } = useUrlFilters(FILTERS);
  const action = oneOf(url.action, values(ACTIONS));
  const level = oneOf(url.level, values(LEVELS));
  const resourceType = oneOf(url.resource, values(RESOURCE_TYPES));
  const userId = uuidOrNull(url.user);
  const logs = useActivityLogs(page, {
    action,
    level,
    resource_type: resourceType,
    user_id: userId,
    from: dayBound(url.from, 'start'),
    to: dayBound(url.to, 'end'),
    search: url.search,
  });
  const members = useMemberChoices();
  const users = (members.data?.items ?? []).map((member) => ({
    value: member.user.id,
    label: member.user.display_name ? `${member.user.display_name} (${member.user.username})` : member.user.username,
  }));
  const gone = useGone(logs.data?.items ?? []);

  return (
    <Card>
      <Stack>
        <Group justify="space-between" align="flex-end">
          <Group gap="xs" align="flex-end">
            <SearchFilter
              value={url.search}
              onChange={(search) => setFilters({ search })}
              placeholder="Resource, event or user"
            />
            <FilterSelect
              label="What"
              placeholder="Everything"
              data={ACTIONS}
              value={action}
              onChange={(value) => setFilters({ action: value })}
              width={170}
            />
            <FilterSelect
              label="Level"
              placeholder="All levels"
              data={LEVELS}
              value={level}
              onChange={(value) => setFilters({ level: value })}
              width={140}
            />
            <FilterSelect
              label="Resource type"
              placeholder="Any resource"
              data={RESOURCE_TYPES}
              value={resourceType}
              onChange={(value) => setFilters({ resource: value })}
              width={170}
            />
            <FilterSelect
              label="User"
              placeholder="Anyone"
              data={users}
              value={userId}
              onChange={(value) => setFilters({ user: value })}
              width={170}
            />
            <DateRangeFilter from={url.from} to={url.to} onChange={(range) => setFilters(range)} />
          </Group>
          {logs.data ? (
            <Text size="sm" c="dimmed" data-testid="activity-count">
              {logs.data.total} {logs.data.total === 1 ? 'entry' : 'entries'}
            </Text>
          ) : null}
        </Group>
        <PagedQuery
          query={logs}
          page={page}
          onPageChange={setPage}
          errorTitle="Could not load the activity log"
          skeletonHeight={240}
        >
          {(items) => <ActivityTable entries={items} filtered={Object.values(url).some(Boolean)} gone={gone} />}
        </PagedQuery>
      </Stack>
    </Card>
  );
}

export function ActivityPage() {
  return (
    <Stack gap="lg" maw={1400}>
      <PageHeader title="Activity" description="Who did what in this tenant, newest first." />
      <RequireRole role="admin">
        <ActivityLog />
      </RequireRole>
    </Stack>
  );
}
