'use client';

import { Badge, Stack, Text } from '@mantine/core';
import type { StorageDto } from '@dumpstation/api-client';
import type { DataColumn } from '@/components/Common/DataTable';
import { ResourceTable, type ResourceRowActions } from '@/components/Common/ResourceTable';
import { formatDate } from '@/lib/format';
import { PROVIDER_LABELS, storageLocation } from './providers';

function Credentials({ storage }: { storage: StorageDto }) {
  if (storage.provider === 'local') return <Text size="sm">Not needed</Text>;
  if (storage.access_key && storage.secret_key_set)
    return (
      <Badge variant="dot" color="teal">
        Keys saved
      </Badge>
    );
  return (
    <Badge variant="dot" color="red">
      Keys missing
    </Badge>
  );
}

const COLUMNS: DataColumn<StorageDto>[] = [
  { header: 'Name', td: { fw: 500 }, cell: (storage) => storage.name },
  {
    header: 'Provider',
    cell: (storage) => (
      <Badge variant="light" color={storage.provider === 'local' ? 'gray' : 'blue'}>
        {PROVIDER_LABELS[storage.provider]}
      </Badge>
    ),
  },
  {
    header: 'Location',
    cell: (storage) => (
      <Stack gap={0}>
        <Text size="sm">{storageLocation(storage)}</Text>
        {storage.endpoint || (storage.region && storage.provider !== 'r2') ? (
          <Text size="xs" c="dimmed">
            {[storage.endpoint, storage.provider !== 'r2' ? storage.region : null].filter(Boolean).join(' · ')}
          </Text>
        ) : null}
      </Stack>
    ),
  },
  { header: 'Credentials', cell: (storage) => <Credentials storage={storage} /> },
  { header: 'Created', cell: (storage) => formatDate(storage.created_at) },
];

export function StorageTable({ storages, ...actions }: { storages: StorageDto[] } & ResourceRowActions<StorageDto>) {
  return (
    <ResourceTable
      items={storages}
      empty="No storage yet. Add one: every database needs somewhere to put its dumps."
      minWidth={820}
      label="Storage"
      testId="storage-table"
      rowTestId={(storage) => `storage-row-${storage.name}`}
      columns={COLUMNS}
      deleteMessage="Refused while databases use it or backups are kept in it. Objects already written stay where they are."
      actions={actions}
    />
  );
}
