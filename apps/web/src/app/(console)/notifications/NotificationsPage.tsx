'use client';

import { useState } from 'react';
import { CheckResultAlert } from '@/components/Common/CheckResultAlert';
import { ResourceListPage } from '@/components/Common/ResourceListPage';
import { NotificationForm } from '@/components/Notifications/NotificationForm';
import { NotificationsTable } from '@/components/Notifications/NotificationsTable';
import { useDeleteNotification, useNotifications, useTestNotification } from '@/hooks/queries/notifications';

export function NotificationsPage() {
  const [page, setPage] = useState(1);
  const notifications = useNotifications(page);
  const test = useTestNotification();
  const remove = useDeleteNotification();

  return (
    <ResourceListPage
      title="Notifications"
      description="Discord webhooks that hear about backups: when they succeed, when they fail, or both."
      addLabel="Add webhook"
      formTitle={(notification) => (notification ? `Edit ${notification.name}` : 'Add a Discord webhook')}
      list={notifications}
      page={page}
      onPageChange={setPage}
      loadErrorTitle="Could not load the webhooks"
      deleteErrorTitle="Could not delete the webhook"
      test={test}
      remove={remove}
      renderTestResult={(outcome) => <CheckResultAlert {...outcome} testId="notification-test-result" />}
      renderTable={(notifications, actions) => <NotificationsTable notifications={notifications} {...actions} />}
      renderForm={(notification, close) => (
        <NotificationForm notification={notification} onSaved={close} onCancel={close} />
      )}
    />
  );
}
