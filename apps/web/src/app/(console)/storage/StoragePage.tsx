'use client';

import { Button, Card, Group, Modal, Pagination, Skeleton, Stack } from '@mantine/core';
import type { StorageDto } from '@dumpstation/api-client';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { CheckResultAlert } from '@/components/Common/CheckResultAlert';
import { PageHeader } from '@/components/Common/PageHeader';
import { QueryError } from '@/components/Common/QueryError';
import { StorageForm } from '@/components/Storage/StorageForm';
import { StorageTable } from '@/components/Storage/StorageTable';
import { useDeleteStorage, useStorages, useTestStorage } from '@/hooks/queries/storage';
import { useSignedInSession } from '@/lib/auth/SessionProvider';
import { hasRole } from '@/lib/auth/roles';

export function StoragePage() {
  const session = useSignedInSession();
  const canManage = hasRole(session.tenant.role, 'admin');
  const canTest = hasRole(session.tenant.role, 'operator');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<StorageDto | 'new' | null>(null);
  const [tested, setTested] = useState<StorageDto | null>(null);
  const storages = useStorages(page);
  const test = useTestStorage();
  const remove = useDeleteStorage();

  return (
    <Stack gap="lg" maw={1200}>
      <PageHeader
        title="Storage"
        description={`Where ${session.tenant.name}’s dumps are kept: S3, Cloudflare R2, MinIO or the server’s disk.`}
        actions={
          canManage ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              Add storage
            </Button>
          ) : null
        }
      />
      {tested && (test.data || test.isError) ? (
        <CheckResultAlert
          subject={tested.name}
          result={test.data}
          error={test.error}
          onClose={() => {
            test.reset();
            setTested(null);
          }}
          testId="storage-test-result"
        />
      ) : null}
      {remove.isError ? <QueryError error={remove.error} title="Could not delete the storage" /> : null}
      <Card>
        {storages.data ? (
          <Stack>
            <StorageTable
              storages={storages.data.items}
              canTest={canTest}
              canManage={canManage}
              testingId={test.isPending ? (test.variables?.path.id ?? null) : null}
              onTest={(storage) => {
                setTested(storage);
                test.mutate({ path: { id: storage.id } });
              }}
              onEdit={setEditing}
              onDelete={(storage) => remove.mutateAsync({ path: { id: storage.id } }).catch(() => undefined)}
            />
            {storages.data.total_pages > 1 ? (
              <Group justify="center">
                <Pagination total={storages.data.total_pages} value={page} onChange={setPage} />
              </Group>
            ) : null}
          </Stack>
        ) : storages.isError ? (
          <QueryError error={storages.error} title="Could not load the storage" />
        ) : (
          <Skeleton height={120} />
        )}
      </Card>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'Add storage' : editing ? `Edit ${editing.name}` : ''}
        size="lg"
      >
        {editing ? (
          <StorageForm
            key={editing === 'new' ? 'new' : editing.id}
            storage={editing === 'new' ? undefined : editing}
            onSaved={() => setEditing(null)}
            onCancel={() => setEditing(null)}
          />
        ) : null}
      </Modal>
    </Stack>
  );
}
