'use client';

import { Anchor, Stack } from '@mantine/core';
import type { TenantBackupDto } from '@dumpstation/api-client';
import Link from 'next/link';
import { ByteSize } from '@/components/Common/ByteSize';
import { DataTable, NOWRAP_CELL, type DataColumn } from '@/components/Common/DataTable';
import { isActive } from '@/hooks/queries/backups';
import { formatDateTime, formatDuration } from '@/lib/format';
import { BackupProgress } from './BackupProgress';
import { BackupStatusBadge } from './BackupStatusBadge';
import { TRIGGER_LABELS } from './status';

const COLUMNS: DataColumn<TenantBackupDto>[] = [
  {
    header: 'Database',
    td: NOWRAP_CELL,
    cell: (backup) => (
      <Anchor component={Link} href={`/databases/${backup.database_id}`} fw={500} size="sm">
        {backup.database_name}
      </Anchor>
    ),
  },
  { header: 'Name', td: NOWRAP_CELL, cell: (backup) => backup.name },
  {
    header: 'Status',
    td: NOWRAP_CELL,
    cell: (backup) => (
      <Stack gap={4} align="flex-start">
        <BackupStatusBadge job={backup} />
        {isActive(backup) ? <BackupProgress backup={backup} /> : null}
      </Stack>
    ),
  },
  { header: 'Trigger', cell: (backup) => TRIGGER_LABELS[backup.trigger] },
  {
    header: 'Size',
    td: NOWRAP_CELL,
    cell: (backup) => <ByteSize bytes={backup.size_bytes} testId="backup-size" />,
  },
  { header: 'Started', td: NOWRAP_CELL, cell: (backup) => formatDateTime(backup.started_at ?? backup.created_at) },
  { header: 'Duration', td: NOWRAP_CELL, cell: (backup) => formatDuration(backup.duration_ms) },
];

/** The tenant's backups of all its databases: which database, state, how started, size and timing. */
export function TenantBackupsTable({ backups, empty }: { backups: TenantBackupDto[]; empty: string }) {
  return (
    <DataTable
      items={backups}
      empty={empty}
      minWidth={900}
      label="Backups"
      testId="tenant-backups-table"
      rowAttributes={(backup) => ({
        'data-testid': `backup-row-${backup.name}`,
        'data-status': backup.status,
        'data-database': backup.database_name,
      })}
      columns={COLUMNS}
    />
  );
}
