'use client';

import { Badge, Group, Table, Text } from '@mantine/core';
import type { NotificationDto } from '@dumpstation/api-client';
import { RowActions } from '@/components/Common/RowActions';
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

export function NotificationsTable({
  notifications,
  canTest,
  canManage,
  testingId,
  onTest,
  onEdit,
  onDelete,
}: {
  notifications: NotificationDto[];
  canTest: boolean;
  canManage: boolean;
  testingId: string | null;
  onTest: (notification: NotificationDto) => void;
  onEdit: (notification: NotificationDto) => void;
  onDelete: (notification: NotificationDto) => Promise<unknown>;
}) {
  if (notifications.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        No webhooks yet. Add one to hear about backups on Discord.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="sm" data-testid="notifications-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Webhook</Table.Th>
            <Table.Th>Posts on</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Created</Table.Th>
            {canTest || canManage ? <Table.Th /> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {notifications.map((notification) => (
            <Table.Tr key={notification.id} data-testid={`notification-row-${notification.name}`}>
              <Table.Td fw={500}>{notification.name}</Table.Td>
              <Table.Td>
                {notification.webhook_url_set ? (
                  <Text size="sm">Discord (URL hidden)</Text>
                ) : (
                  <Badge variant="dot" color="red">
                    Missing
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Events notification={notification} />
              </Table.Td>
              <Table.Td>
                <Badge variant="dot" color={notification.enabled ? 'teal' : 'gray'}>
                  {notification.enabled ? 'Enabled' : 'Disabled'}
                </Badge>
              </Table.Td>
              <Table.Td>{formatDate(notification.created_at)}</Table.Td>
              {canTest || canManage ? (
                <Table.Td>
                  <RowActions
                    name={notification.name}
                    canTest={canTest}
                    canManage={canManage}
                    testing={testingId === notification.id}
                    onTest={() => onTest(notification)}
                    onEdit={() => onEdit(notification)}
                    deleteTitle={`Delete ${notification.name}?`}
                    deleteMessage="Databases that post to it stop notifying. The webhook itself stays on Discord."
                    onDelete={() => onDelete(notification)}
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
