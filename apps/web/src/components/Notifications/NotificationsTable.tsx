'use client';

import { Badge, Group, Text } from '@mantine/core';
import type { NotificationDto } from '@dumpstation/api-client';
import type { DataColumn } from '@/components/Common/DataTable';
import { ResourceTable, type ResourceRowActions } from '@/components/Common/ResourceTable';
import { formatDate } from '@/lib/format';

function Events({ notification }: { notification: NotificationDto }) {
  if (!notification.on_success && !notification.on_failure) return <Text size="sm">None</Text>;
  return (
    <Group gap={4}>
      {notification.on_success ? (
        <Badge variant="light" color="teal">
          Success
        </Badge>
      ) : null}
      {notification.on_failure ? (
        <Badge variant="light" color="red">
          Failure
        </Badge>
      ) : null}
    </Group>
  );
}

const COLUMNS: DataColumn<NotificationDto>[] = [
  { header: 'Name', td: { fw: 500 }, cell: (notification) => notification.name },
  {
    header: 'Webhook',
    cell: (notification) =>
      notification.discord_webhook_url_set ? (
        <Text size="sm" title="The URL's secret token is never shown">
          Discord webhook {notification.webhook_id_hint ?? ''}
        </Text>
      ) : (
        <Badge variant="dot" color="red">
          Missing
        </Badge>
      ),
  },
  { header: 'Posts on', cell: (notification) => <Events notification={notification} /> },
  {
    header: 'Status',
    cell: (notification) => (
      <Badge variant="dot" color={notification.enabled ? 'teal' : 'gray'}>
        {notification.enabled ? 'Enabled' : 'Disabled'}
      </Badge>
    ),
  },
  { header: 'Created', cell: (notification) => formatDate(notification.created_at) },
];

export function NotificationsTable({
  notifications,
  ...actions
}: { notifications: NotificationDto[] } & ResourceRowActions<NotificationDto>) {
  return (
    <ResourceTable
      items={notifications}
      empty="No webhooks yet. Add one to hear about backups on Discord."
      minWidth={760}
      label="Notifications"
      testId="notifications-table"
      rowTestId={(notification) => `notification-row-${notification.name}`}
      columns={COLUMNS}
      deleteMessage="Databases that post to it stop notifying. The webhook itself stays on Discord."
      actions={actions}
    />
  );
}
