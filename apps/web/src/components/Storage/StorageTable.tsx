'use client';

import { Badge, Stack, Table, Text } from '@mantine/core';
import type { StorageDto } from '@dumpstation/api-client';
import { RowActions } from '@/components/Common/RowActions';
import { formatDate } from '@/lib/format';
import { PROVIDER_LABELS, storageLocation } from './providers';

function Credentials({ storage }: { storage: StorageDto }) {
  if (storage.provider === 'local') return <Text size="sm">Not needed</Text>;
  if (storage.access_key_id_set && storage.secret_access_key_set)
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

export function StorageTable({
  storages,
  canTest,
  canManage,
  testingId,
  onTest,
  onEdit,
  onDelete,
}: {
  storages: StorageDto[];
  canTest: boolean;
  canManage: boolean;
  /** The storage whose test is running. */
  testingId: string | null;
  onTest: (storage: StorageDto) => void;
  onEdit: (storage: StorageDto) => void;
  onDelete: (storage: StorageDto) => Promise<unknown>;
}) {
  if (storages.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        No storage yet. Add one: every database needs somewhere to put its dumps.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table verticalSpacing="sm" data-testid="storage-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Provider</Table.Th>
            <Table.Th>Location</Table.Th>
            <Table.Th>Credentials</Table.Th>
            <Table.Th>Created</Table.Th>
            {canTest || canManage ? <Table.Th /> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {storages.map((storage) => (
            <Table.Tr key={storage.id} data-testid={`storage-row-${storage.name}`}>
              <Table.Td fw={500}>{storage.name}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={storage.provider === 'local' ? 'gray' : 'blue'}>
                  {PROVIDER_LABELS[storage.provider]}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Stack gap={0}>
                  <Text size="sm">{storageLocation(storage)}</Text>
                  {storage.endpoint || (storage.region && storage.provider !== 'r2') ? (
                    <Text size="xs" c="dimmed">
                      {[storage.endpoint, storage.provider !== 'r2' ? storage.region : null]
                        .filter(Boolean)
                        .join(' · ')}
                    </Text>
                  ) : null}
                </Stack>
              </Table.Td>
              <Table.Td>
                <Credentials storage={storage} />
              </Table.Td>
              <Table.Td>{formatDate(storage.created_at)}</Table.Td>
              {canTest || canManage ? (
                <Table.Td>
                  <RowActions
                    name={storage.name}
                    canTest={canTest}
                    canManage={canManage}
                    testing={testingId === storage.id}
                    onTest={() => onTest(storage)}
                    onEdit={() => onEdit(storage)}
                    deleteTitle={`Delete ${storage.name}?`}
                    deleteMessage="Refused while databases use it or backups are kept in it. Objects already written stay where they are."
                    onDelete={() => onDelete(storage)}
                  />
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
