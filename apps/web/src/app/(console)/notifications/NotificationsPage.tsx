'use client';

import { Button, Card, Group, Modal, Pagination, Skeleton, Stack } from '@mantine/core';
import type { NotificationDto } from '@dumpstation/api-client';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { CheckResultAlert } from '@/components/Common/CheckResultAlert';
import { PageHeader } from '@/components/Common/PageHeader';
import { QueryError } from '@/components/Common/QueryError';
import { NotificationForm } from '@/components/Notifications/NotificationForm';
import { NotificationsTable } from '@/components/Notifications/NotificationsTable';
import { useDeleteNotification, useNotifications, useTestNotification } from '@/hooks/queries/notifications';
import { useSignedInSession } from '@/lib/auth/SessionProvider';
import { hasRole } from '@/lib/auth/roles';

export function NotificationsPage() {
  const session = useSignedInSession();
  const canManage = hasRole(session.tenant.role, 'admin');
  const canTest = hasRole(session.tenant.role, 'operator');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<NotificationDto | 'new' | null>(null);
  const [tested, setTested] = useState<NotificationDto | null>(null);
  const notifications = useNotifications(page);
  const test = useTestNotification();
  const remove = useDeleteNotification();

  return (
    <Stack gap="lg" maw={1200}>
      <PageHeader
        title="Notifications"
        description="Discord webhooks that hear about backups: when they succeed, when they fail, or both."
        actions={
          canManage ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              Add webhook
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
          testId="notification-test-result"
        />
      ) : null}
      {remove.isError ? <QueryError error={remove.error} title="Could not delete the webhook" /> : null}
      <Card>
        {notifications.data ? (
          <Stack>
            <NotificationsTable
              notifications={notifications.data.items}
              canTest={canTest}
              canManage={canManage}
              testingId={test.isPending ? (test.variables?.path.id ?? null) : null}
              onTest={(notification) => {
                setTested(notification);
                test.mutate({ path: { id: notification.id } });
              }}
              onEdit={setEditing}
              onDelete={(notification) => remove.mutateAsync({ path: { id: notification.id } }).catch(() => undefined)}
            />
            {notifications.data.total_pages > 1 ? (
              <Group justify="center">
                <Pagination total={notifications.data.total_pages} value={page} onChange={setPage} />
              </Group>
            ) : null}
          </Stack>
        ) : notifications.isError ? (
          <QueryError error={notifications.error} title="Could not load the webhooks" />
        ) : (
          <Skeleton height={120} />
        )}
      </Card>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'Add a Discord webhook' : editing ? `Edit ${editing.name}` : ''}
        size="lg"
      >
        {editing ? (
          <NotificationForm
            key={editing === 'new' ? 'new' : editing.id}
            notification={editing === 'new' ? undefined : editing}
            onSaved={() => setEditing(null)}
            onCancel={() => setEditing(null)}
          />
        ) : null}
      </Modal>
    </Stack>
  );
}
