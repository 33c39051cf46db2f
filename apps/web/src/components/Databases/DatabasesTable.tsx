'use client';

import { Anchor, ColorSwatch, Group, Stack, Text } from '@mantine/core';
import type { DatabaseDto, StorageDto } from '@dumpstation/api-client';
import Link from 'next/link';
import { NOWRAP_CELL, type DataColumn } from '@/components/Common/DataTable';
import { ResourceTable, type ResourceRowActions } from '@/components/Common/ResourceTable';
import { formatDateTime } from '@/lib/format';
import { describeRotation, describeSchedule } from './options';

function columns(storageNames: Map<string, string>): DataColumn<DatabaseDto>[] {
  return [
    {
      header: 'Name',
      td: NOWRAP_CELL,
      cell: (db) => (
        <Anchor component={Link} href={`/databases/${db.id}`} fw={500} size="sm">
          {db.name}
        </Anchor>
      ),
    },
    {
      header: 'Server',
      cell: (db) => (
        <Stack gap={0}>
          <Text size="sm" style={{ wordBreak: 'break-all' }} data-testid="database-address">
            {db.host}:{db.port}
          </Text>
          <Text size="xs" c="dimmed">
            {db.dbname} as {db.user} · sslmode {db.sslmode}
            {db.password_set ? '' : ' · no password'}
          </Text>
        </Stack>
      ),
    },
    { header: 'Storage', cell: (db) => storageNames.get(db.storage_id) ?? '—' },
    {
      header: 'Schedule',
      cell: (db) => (
        <Stack gap={0}>
          <Text size="sm">{describeSchedule(db)}</Text>
          <Text size="xs" c="dimmed">
            {describeRotation(db.rotation_policy)}
          </Text>
        </Stack>
      ),
    },
    {
      header: 'Status',
      td: NOWRAP_CELL,
      cell: (db) => (
        <Group gap={6} wrap="nowrap">
          <ColorSwatch size={8} color={db.enabled ? 'var(--mantine-color-teal-6)' : 'var(--mantine-color-gray-5)'} />
          <Text size="sm">{db.enabled ? 'Enabled' : 'Paused'}</Text>
        </Group>
      ),
    },
    {
      header: 'Last backup',
      nowrapHeader: true,
      td: NOWRAP_CELL,
      cell: (db) => formatDateTime(db.last_backup_at, 'Never'),
    },
  ];
}

export function DatabasesTable({
  databases,
  storages,
  ...actions
}: {
  databases: DatabaseDto[];
  /** To name each database's storage. */
  storages: StorageDto[];
} & ResourceRowActions<DatabaseDto>) {
  const storageNames = new Map(storages.map((s) => [s.id, s.name]));
  return (
    <ResourceTable
      items={databases}
      empty="No databases yet. Add one to start backing it up."
      minWidth={960}
      testId="databases-table"
      rowTestId={(db) => `database-row-${db.name}`}
      columns={columns(storageNames)}
      deleteMessage="Its settings and backup history go with it. Dump files already in storage are left in place."
      actions={actions}
    />
  );
}
