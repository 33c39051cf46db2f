'use client';

import { Card, Group, Stack, Tooltip } from '@mantine/core';
import type { DatabaseDto, RestoreDto } from '@dumpstation/api-client';
import { IconRestore } from '@tabler/icons-react';
import { useState } from 'react';
import { DataTable, NOWRAP_CELL, type DataColumn } from '@/components/Common/DataTable';
import { FilterSelect } from '@/components/Common/FilterSelect';
import { PagedQuery } from '@/components/Common/PagedQuery';
import { useDatabaseRestores, type RestoreStatusFilter } from '@/hooks/queries/backups';
import { formatDateTime, formatDuration } from '@/lib/format';
import { BackupStatusBadge } from './BackupStatusBadge';
import { HistoryHeading } from './HistoryHeading';
import { STATUS_FILTERS, STATUS_LABELS } from './status';

/** Where a restore went: the source database, or `dbname on host:port`. */
export function restoreTarget(restore: RestoreDto): string {
  if (restore.into_source || !restore.target_host) return 'Source database';
  return `${restore.target_dbname} on ${restore.target_host}:${restore.target_port}`;
}

/** The options that change what a restore does, in words (none: a plain restore). */
function restoreOptions(restore: RestoreDto): string {
  const options = [
    restore.clean ? 'clean' : null,
    restore.create ? 'create' : null,
    restore.create_roles ? 'create roles' : null,
    restore.schemas.length ? `schemas: ${restore.schemas.join(', ')}` : null,
    restore.tables.length ? `tables: ${restore.tables.join(', ')}` : null,
  ].filter(Boolean);
  return options.length ? options.join(' · ') : '—';
}

const COLUMNS: DataColumn<RestoreDto>[] = [
  { header: 'Backup', td: { ...NOWRAP_CELL, fw: 500 }, cell: (restore) => restore.backup_name },
  {
    header: 'Status',
    // Room for the whole badge: a narrow column would cut its label short.
    td: { style: { whiteSpace: 'nowrap', minWidth: 110 } },
    cell: (restore) =>
      restore.error_message ? (
        <Tooltip label={restore.error_message} multiline w={420}>
          <span>
            <BackupStatusBadge job={restore} testId="restore-status" />
          </span>
        </Tooltip>
      ) : (
        <BackupStatusBadge job={restore} testId="restore-status" />
      ),
  },
  { header: 'Target', cell: (restore) => <span data-testid="restore-target">{restoreTarget(restore)}</span> },
  { header: 'Options', cell: (restore) => restoreOptions(restore) },
  {
    header: 'Roles created',
    nowrapHeader: true,
    cell: (restore) => (
      <span data-testid="restore-roles-created">
        {restore.roles_created.length ? restore.roles_created.join(', ') : '—'}
      </span>
    ),
  },
  { header: 'Started', td: NOWRAP_CELL, cell: (restore) => formatDateTime(restore.started_at ?? restore.created_at) },
  { header: 'Duration', td: NOWRAP_CELL, cell: (restore) => formatDuration(restore.duration_ms) },
];

/** A database's restores, newest first, filtered by state, followed live while any runs. */
export function RestoreHistory({ database }: { database: DatabaseDto }) {
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<RestoreStatusFilter | null>(null);
  const restores = useDatabaseRestores(database.id, page, status);
  const total = restores.data?.total;
  return (
    <Card data-testid="restore-history">
      <Stack>
        <Group justify="space-between" align="flex-start">
          <HistoryHeading
            icon={<IconRestore size={18} stroke={1.6} />}
            title="Restore history"
            total={total}
            status={status}
            noun="restore"
            testId="restore-count"
          />
          <FilterSelect
            label="Restore status"
            placeholder="All statuses"
            data={STATUS_FILTERS}
            value={status}
            onChange={(value) => {
              setStatus(value);
              setPage(1);
            }}
            width={170}
          />
        </Group>
        <PagedQuery query={restores} page={page} onPageChange={setPage} errorTitle="Could not load the restores">
          {(items) => (
            <DataTable
              items={items}
              empty={
                status
                  ? `No ${STATUS_LABELS[status].toLowerCase()} restores.`
                  : 'No restores yet. Restore a backup from the history above.'
              }
              minWidth={900}
              label="Restore history"
              testId="restores-table"
              rowAttributes={(restore) => ({
                'data-testid': `restore-row-${restore.id}`,
                'data-status': restore.status,
              })}
              columns={COLUMNS}
            />
          )}
        </PagedQuery>
      </Stack>
    </Card>
  );
}
