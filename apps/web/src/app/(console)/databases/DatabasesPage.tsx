'use client';

import { Button, Card, Group, Modal, Pagination, Skeleton, Stack } from '@mantine/core';
import type { DatabaseDto } from '@dumpstation/api-client';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { PageHeader } from '@/components/Common/PageHeader';
import { QueryError } from '@/components/Common/QueryError';
import { DatabaseCheckAlert } from '@/components/Databases/DatabaseCheckAlert';
import { DatabaseForm } from '@/components/Databases/DatabaseForm';
import { DatabasesTable } from '@/components/Databases/DatabasesTable';
import { useDatabases, useDeleteDatabase, useTestDatabase } from '@/hooks/queries/databases';
import { useStorageChoices } from '@/hooks/queries/storage';
import { useSignedInSession } from '@/lib/auth/SessionProvider';
import { hasRole } from '@/lib/auth/roles';

export function DatabasesPage() {
  const session = useSignedInSession();
  const canManage = hasRole(session.tenant.role, 'admin');
  const canTest = hasRole(session.tenant.role, 'operator');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<DatabaseDto | 'new' | null>(null);
  const [tested, setTested] = useState<DatabaseDto | null>(null);
  const databases = useDatabases(page);
  const storages = useStorageChoices();
  const test = useTestDatabase();
  const remove = useDeleteDatabase();

  return (
    <Stack gap="lg" maw={1300}>
      <PageHeader
        title="Databases"
        description={`The PostgreSQL databases ${session.tenant.name} backs up, and where their dumps go.`}
        actions={
          canManage ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              Add database
            </Button>
          ) : null
        }
      />
      {tested && (test.data || test.isError) ? (
        <DatabaseCheckAlert
          subject={tested.name}
          result={test.data}
          error={test.error}
          onClose={() => {
            test.reset();
            setTested(null);
          }}
        />
      ) : null}
      {remove.isError ? <QueryError error={remove.error} title="Could not delete the database" /> : null}
      <Card>
        {databases.data ? (
          <Stack>
            <DatabasesTable
              databases={databases.data.items}
              storages={storages.data?.items ?? []}
              canTest={canTest}
              canManage={canManage}
              testingId={test.isPending ? (test.variables?.path.id ?? null) : null}
              onTest={(db) => {
                setTested(db);
                test.mutate({ path: { id: db.id } });
              }}
              onEdit={setEditing}
              onDelete={(db) => remove.mutateAsync({ path: { id: db.id } }).catch(() => undefined)}
            />
            {databases.data.total_pages > 1 ? (
              <Group justify="center">
                <Pagination total={databases.data.total_pages} value={page} onChange={setPage} />
              </Group>
            ) : null}
          </Stack>
        ) : databases.isError ? (
          <QueryError error={databases.error} title="Could not load the databases" />
        ) : (
          <Skeleton height={120} />
        )}
      </Card>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'Add a database' : editing ? `Edit ${editing.name}` : ''}
        size="xl"
      >
        {editing ? (
          <DatabaseForm
            key={editing === 'new' ? 'new' : editing.id}
            database={editing === 'new' ? undefined : editing}
            onSaved={() => setEditing(null)}
            onCancel={() => setEditing(null)}
          />
        ) : null}
      </Modal>
    </Stack>
  );
}
