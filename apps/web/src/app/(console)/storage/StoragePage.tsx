'use client';

import { useState } from 'react';
import { CheckResultAlert } from '@/components/Common/CheckResultAlert';
import { ResourceListPage } from '@/components/Common/ResourceListPage';
import { StorageForm } from '@/components/Storage/StorageForm';
import { StorageTable } from '@/components/Storage/StorageTable';
import { useStats } from '@/hooks/queries/stats';
import { useDeleteStorage, useStorages, useTestStorage } from '@/hooks/queries/storage';
import { useSignedInSession } from '@/lib/auth/SessionProvider';

export function StoragePage() {
  const session = useSignedInSession();
  const [page, setPage] = useState(1);
  const storages = useStorages(page);
  const test = useTestStorage();
  const stats = useStats();
  const remove = useDeleteStorage();

  return (
    <ResourceListPage
      title="Storage"
      description={`Where ${session.tenant.name}’s dumps are kept: S3, Cloudflare R2, MinIO or the server’s disk.`}
      addLabel="Add storage"
      formTitle={(storage) => (storage ? `Edit ${storage.name}` : 'Add storage')}
      list={storages}
      page={page}
      onPageChange={setPage}
      loadErrorTitle="Could not load the storage"
      deleteErrorTitle="Could not delete the storage"
      test={test}
      remove={remove}
      renderTestResult={(outcome) => <CheckResultAlert {...outcome} testId="storage-test-result" />}
      renderTable={(storages, actions) => (
        <StorageTable storages={storages} usage={stats.data?.storages} {...actions} />
      )}
      renderForm={(storage, close) => <StorageForm storage={storage} onSaved={close} onCancel={close} />}
    />
  );
}
