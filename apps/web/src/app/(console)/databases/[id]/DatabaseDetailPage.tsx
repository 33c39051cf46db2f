'use client';

import { Anchor, Button, Group, Modal, Skeleton, Stack } from '@mantine/core';
import { IconArrowLeft, IconPlugConnected } from '@tabler/icons-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { BackupHistory } from '@/components/Backups/BackupHistory';
import { RestoreHistory } from '@/components/Backups/RestoreHistory';
import { ConfirmButton } from '@/components/Common/ConfirmButton';
import { PageHeader } from '@/components/Common/PageHeader';
import { QueryError } from '@/components/Common/QueryError';
import { DatabaseCheckAlert } from '@/components/Databases/DatabaseCheckAlert';
import { DatabaseForm } from '@/components/Databases/DatabaseForm';
import { DatabaseSettings } from '@/components/Databases/DatabaseSettings';
import { connectionLabel } from '@/components/Databases/options';
import { useDatabase, useDeleteDatabase, useTestDatabase } from '@/hooks/queries/databases';
import { useNotification } from '@/hooks/queries/notifications';
import { useStorage } from '@/hooks/queries/storage';
import { useSignedInSession } from '@/lib/auth/SessionProvider';
import { hasRole } from '@/lib/auth/roles';
import classes from './DatabaseDetailPage.module.css';

export function DatabaseDetailPage({ id }: { id: string }) {
  const session = useSignedInSession();
  const router = useRouter();
  const canManage = hasRole(session.tenant.role, 'admin');
  const canTest = hasRole(session.tenant.role, 'operator');
  const [editing, setEditing] = useState(false);
  const database = useDatabase(id);
  const db = database.data;
  const storage = useStorage(db?.storage_id);
  const notification = useNotification(db?.notification_id);
  const test = useTestDatabase();
  const remove = useDeleteDatabase();

  const back = (
    <Anchor component={Link} href="/databases" size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} />
        Databases
      </Group>
    </Anchor>
  );

  if (!db) {
    return (
      <Stack gap="lg" maw={1200}>
        {back}
        {database.isError ? (
          <QueryError error={database.error} title="Could not load this database" />
        ) : (
          <Skeleton height={320} />
        )}
      </Stack>
    );
  }

  return (
    <Stack gap="lg" maw={1200}>
      {back}
      <PageHeader
        title={db.name}
        description={connectionLabel(db)}
        actions={
          <Group gap="xs">
            {canTest ? (
              <Button
                leftSection={<IconPlugConnected size={16} />}
                loading={test.isPending}
                onClick={() => test.mutate({ path: { id: db.id } })}
              >
                Test connection
              </Button>
            ) : null}
            {canManage ? (
              <>
                <Button variant="default" onClick={() => setEditing(true)}>
                  Edit
                </Button>
                <ConfirmButton
                  size="sm"
                  variant="light"
                  title={`Delete ${db.name}?`}
                  message="Its settings and backup history go with it. Dump files already in storage are left in place."
                  confirmLabel="Delete"
                  aria-label={`Delete ${db.name}`}
                  onConfirm={() =>
                    remove
                      .mutateAsync({ path: { id: db.id } })
                      .then(() => router.push('/databases'))
                      .catch(() => undefined)
                  }
                >
                  Delete
                </ConfirmButton>
              </>
            ) : null}
          </Group>
        }
      />
      {test.data || test.isError ? (
        <DatabaseCheckAlert subject={db.name} result={test.data} error={test.error} onClose={() => test.reset()} />
      ) : null}
      {remove.isError ? <QueryError error={remove.error} title="Could not delete the database" /> : null}
      {storage.isError ? <QueryError error={storage.error} title="Could not load its storage" /> : null}
      <div className={classes.settings}>
        <DatabaseSettings database={db} storage={storage.data} notification={notification.data} />
      </div>
      <BackupHistory database={db} />
      <div className={classes.restores}>
        <RestoreHistory database={db} />
      </div>
      <Modal opened={editing} onClose={() => setEditing(false)} title={`Edit ${db.name}`} size="xl">
        {editing ? (
          <DatabaseForm database={db} onSaved={() => setEditing(false)} onCancel={() => setEditing(false)} />
        ) : null}
      </Modal>
    </Stack>
  );
}
