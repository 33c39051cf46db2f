'use client';

import { Card, Group, Stack, Text } from '@mantine/core';
import { TenantBackupsTable } from '@/components/Backups/TenantBackupsTable';
import { STATUS_FILTERS, TRIGGER_LABELS } from '@/components/Backups/status';
import { DateRangeFilter, SearchFilter } from '@/components/Common/ListFilters';
import { FilterSelect } from '@/components/Common/FilterSelect';
import { NextStep } from '@/components/Common/NextStep';
import { PagedQuery } from '@/components/Common/PagedQuery';
import { PageHeader } from '@/components/Common/PageHeader';
import type { BackupStatusFilter } from '@/hooks/queries/backups';
import { useDatabaseChoices, useTenantBackups, type BackupTriggerFilter } from '@/hooks/queries/tenant-backups';
import { useSignedInSession } from '@/lib/auth/SessionProvider';
import { dayBound, oneOf, useUrlFilters, uuidOrNull } from '@/lib/url-filters';

const FILTERS = ['database', 'status', 'trigger', 'from', 'to', 'search'] as const;
const TRIGGERS = Object.keys(TRIGGER_LABELS) as BackupTriggerFilter[];
const TRIGGER_FILTERS = TRIGGERS.map((value) => ({ value, label: TRIGGER_LABELS[value] }));
const STATUSES = STATUS_FILTERS.map((filter) => filter.value);

/** Every backup of the tenant, newest first, narrowed by database, state, trigger, days and a search. */
export function BackupsPage() {
  const session = useSignedInSession();
  const { values, setFilters, page, setPage } = useUrlFilters(FILTERS);
  const databaseId = uuidOrNull(values.database);
  const status = oneOf<BackupStatusFilter>(values.status, STATUSES);
  const trigger = oneOf<BackupTriggerFilter>(values.trigger, TRIGGERS);
  const filters = {
    database_id: databaseId,
    status,
    trigger,
    from: dayBound(values.from, 'start'),
    to: dayBound(values.to, 'end'),
    search: values.search,
  };
  const filtered = Object.values(filters).some(Boolean);
  const backups = useTenantBackups(page, filters);
  const databases = useDatabaseChoices();
  const databaseOptions = (databases.data?.items ?? []).map((db) => ({ value: db.id, label: db.name }));
  const total = backups.data?.total;

  return (
    <Stack gap="lg" maw={1300}>
      <PageHeader title="Backups" description={`Every backup of ${session.tenant.name}'s databases, newest first.`} />
      <Card>
        <Stack>
          <Group justify="space-between" align="flex-end">
            <Group gap="xs" align="flex-end">
              <SearchFilter
                value={values.search}
                onChange={(search) => setFilters({ search })}
                placeholder="Backup or database name"
              />
              <FilterSelect
                label="Database"
                placeholder="All databases"
                data={databaseOptions}
                value={databaseId}
                onChange={(database) => setFilters({ database })}
              />
              <FilterSelect
                label="Status"
                placeholder="All statuses"
                data={STATUS_FILTERS}
                value={status}
                onChange={(value) => setFilters({ status: value })}
                width={170}
              />
              <FilterSelect
                label="Trigger"
                placeholder="Any trigger"
                data={TRIGGER_FILTERS}
                value={trigger}
                onChange={(value) => setFilters({ trigger: value })}
                width={150}
              />
              <DateRangeFilter from={values.from} to={values.to} onChange={(range) => setFilters(range)} />
            </Group>
            {total !== undefined ? (
              <Text size="sm" c="dimmed" data-testid="backup-count">
                {total} {total === 1 ? 'backup' : 'backups'}
              </Text>
            ) : null}
          </Group>
          <PagedQuery query={backups} page={page} onPageChange={setPage} errorTitle="Could not load the backups">
            {(items) =>
              items.length === 0 && !filtered && page === 1 ? (
                <NextStep whenDone={<Text c="dimmed">No backups yet.</Text>} />
              ) : (
                <TenantBackupsTable backups={items} empty="No backups match these filters." />
              )
            }
          </PagedQuery>
        </Stack>
      </Card>
    </Stack>
  );
}
