'use client';

import { Anchor, ColorSwatch, Group, Stack, Table, Text } from '@mantine/core';
import type { DatabaseDto, StorageDto } from '@dumpstation/api-client';
import Link from 'next/link';
import { RowActions } from '@/components/Common/RowActions';
import { formatDateTime } from '@/lib/format';
import { describeRotation, describeSchedule } from './options';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

export function DatabasesTable({
  databases,
  storages,
  canTest,
  canManage,
  testingId,
  onTest,
  onEdit,
  onDelete,
}: {
  databases: DatabaseDto[];
  /** To name each database's storage. */
  storages: StorageDto[];
  canTest: boolean;
  canManage: boolean;
  testingId: string | null;
  onTest: (database: DatabaseDto) => void;
  onEdit: (database: DatabaseDto) => void;
  onDelete: (database: DatabaseDto) => Promise<unknown>;
}) {
  if (databases.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        No databases yet. Add one to start backing it up.
      </Text>
    );
  }
  const storageNames = new Map(storages.map((s) => [s.id, s.name]));
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table verticalSpacing="sm" data-testid="databases-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Server</Table.Th>
            <Table.Th>Storage</Table.Th>
            <Table.Th>Schedule</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th style={NOWRAP}>Last backup</Table.Th>
            {canTest || canManage ? <Table.Th /> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {databases.map((db) => (
            <Table.Tr key={db.id} data-testid={`database-row-${db.name}`}>
              <Table.Td style={NOWRAP}>
                <Anchor component={Link} href={`/databases/${db.id}`} fw={500} size="sm">
                  {db.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Stack gap={0}>
                  <Text size="sm" style={{ wordBreak: 'break-all' }} data-testid="database-address">
                    {db.host}:{db.port}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {db.dbname} as {db.username} · sslmode {db.sslmode}
                    {db.password_set ? '' : ' · no password'}
                  </Text>
                </Stack>
              </Table.Td>
              <Table.Td>{storageNames.get(db.storage_id) ?? '—'}</Table.Td>
              <Table.Td>
                <Stack gap={0}>
                  <Text size="sm">{describeSchedule(db)}</Text>
                  <Text size="xs" c="dimmed">
                    {describeRotation(db.rotation_policy)}
                  </Text>
                </Stack>
              </Table.Td>
              <Table.Td style={NOWRAP}>
                <Group gap={6} wrap="nowrap">
                  <ColorSwatch
                    size={8}
                    color={db.enabled ? 'var(--mantine-color-teal-6)' : 'var(--mantine-color-gray-5)'}
                  />
                  <Text size="sm">{db.enabled ? 'Enabled' : 'Paused'}</Text>
                </Group>
              </Table.Td>
              <Table.Td style={NOWRAP}>{formatDateTime(db.last_backup_at, 'Never')}</Table.Td>
              {canTest || canManage ? (
                <Table.Td>
                  <RowActions
                    name={db.name}
                    canTest={canTest}
                    canManage={canManage}
                    testing={testingId === db.id}
                    onTest={() => onTest(db)}
                    onEdit={() => onEdit(db)}
                    deleteTitle={`Delete ${db.name}?`}
                    deleteMessage="Its settings and backup history go with it. Dump files already in storage are left in place."
                    onDelete={() => onDelete(db)}
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
