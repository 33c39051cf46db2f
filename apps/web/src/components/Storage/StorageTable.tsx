'use client';

import { Badge, Stack, Text } from '@mantine/core';
import type { StorageDto, StorageStatsDto } from '@dumpstation/api-client';
import { ByteSize } from '@/components/Common/ByteSize';
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

/** What the tenant's kept backups occupy there (GET /stats), or a dash until it is known. */
function Usage({ usage }: { usage: StorageStatsDto | undefined }) {
  if (!usage) return <Text size="sm">—</Text>;
  return (
    <Stack gap={0}>
      <Text size="sm">
        <ByteSize bytes={usage.bytes} />
      </Text>
      <Text size="xs" c="dimmed">
        {usage.objects === 1 ? '1 backup' : `${usage.objects} backups`}
      </Text>
    </Stack>
  );
}

const columns = (usage: Map<string, StorageStatsDto>): DataColumn<StorageDto>[] => [
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
  { header: 'Used', cell: (storage) => <Usage usage={usage.get(storage.id)} /> },
  { header: 'Created', cell: (storage) => formatDate(storage.created_at) },
];

export function StorageTable({
  storages,
  usage,
  ...actions
}: { storages: StorageDto[]; usage?: StorageStatsDto[] } & ResourceRowActions<StorageDto>) {
  return (
    <ResourceTable
      items={storages}
      empty="No storage yet. Add one: every database needs somewhere to put its dumps."
      minWidth={920}
      label="Storage"
      testId="storage-table"
      rowTestId={(storage) => `storage-row-${storage.name}`}
      columns={columns(new Map((usage ?? []).map((entry) => [entry.id, entry])))}
      deleteMessage="Refused while databases use it or backups are kept in it. Objects already written stay where they are."
      actions={actions}
    />
  );
}
