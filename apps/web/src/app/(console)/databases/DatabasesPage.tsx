'use client';

import { Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { NextStep } from '@/components/Common/NextStep';
import { ResourceListPage } from '@/components/Common/ResourceListPage';
import { DatabaseCheckAlert } from '@/components/Databases/DatabaseCheckAlert';
import { DatabaseForm } from '@/components/Databases/DatabaseForm';
import { DatabasesTable } from '@/components/Databases/DatabasesTable';
import { useDatabases, useDeleteDatabase, useTestDatabase, useUpdateDatabase } from '@/hooks/queries/databases';
import { useStorageChoices } from '@/hooks/queries/storage';
import { useSignedInSession } from '@/lib/auth/SessionProvider';
import { hasRole } from '@/lib/auth/roles';

export function DatabasesPage() {
  const session = useSignedInSession();
  const [page, setPage] = useState(1);
  const databases = useDatabases(page);
  const storages = useStorageChoices();
  const test = useTestDatabase();
  const remove = useDeleteDatabase();
  const update = useUpdateDatabase();
  const toggling = update.isPending ? (update.variables?.path.id ?? null) : null;

  return (
    <ResourceListPage
      title="Databases"
      description={`The PostgreSQL databases ${session.tenant.name} backs up, and where their dumps go.`}
      addLabel="Add database"
      formTitle={(db) => (db ? `Edit ${db.name}` : 'Add a database')}
      formSize="xl"
      maw={1300}
      list={databases}
      page={page}
      onPageChange={setPage}
      loadErrorTitle="Could not load the databases"
      deleteErrorTitle="Could not delete the database"
      test={test}
      remove={remove}
      renderTestResult={(outcome) => <DatabaseCheckAlert {...outcome} />}
      renderTable={(databases, actions) => (
        <DatabasesTable
          databases={databases}
          storages={storages.data?.items ?? []}
          toggle={{
            canToggle: actions.canManage,
            togglingId: toggling,
            onToggle: (db, enabled) => update.mutate({ path: { id: db.id }, body: { enabled } }),
          }}
          {...actions}
        />
      )}
      renderForm={(db, close) => <DatabaseForm database={db} onSaved={close} onCancel={close} />}
      renderEmpty={(add) => (
        <Stack>
          <Text c="dimmed" size="sm">
            No databases yet. Add one to start backing it up.
          </Text>
          <NextStep onAction={{ database: hasRole(session.tenant.role, 'admin') ? add : undefined }} />
        </Stack>
      )}
    />
  );
}
