import { Anchor, Badge, Card, Code, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { DatabaseDto, NotificationDto, StorageDto } from '@dumpstation/api-client';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { FactList } from '@/components/Common/FactList';
import { PROVIDER_LABELS, storageLocation } from '@/components/Storage/providers';
import { formatDateTime } from '@/lib/format';
import { describeRetry, describeRotation, sslModeLabel } from './options';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card>
      <Stack gap="xs">
        <Title order={2} size="h5">
          {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}

function List({ items, empty }: { items: string[]; empty: string }) {
  if (items.length === 0) return <Text size="sm">{empty}</Text>;
  return (
    <Group gap={4}>
      {items.map((item) => (
        <Code key={item}>{item}</Code>
      ))}
    </Group>
  );
}

/** A database's settings, read-only, grouped like the form. */
export function DatabaseSettings({
  database: db,
  storage,
  notification,
}: {
  database: DatabaseDto;
  storage?: StorageDto;
  notification?: NotificationDto;
}) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="database-settings">
      <Section title="Connection">
        <FactList
          facts={[
            { label: 'Host', value: db.host, testId: 'database-host' },
            { label: 'Port', value: String(db.port) },
            { label: 'Database', value: db.dbname },
            { label: 'User', value: db.user },
            { label: 'Password', value: db.password_set ? 'Saved (hidden)' : 'None' },
            { label: 'SSL mode', value: sslModeLabel(db.sslmode) },
          ]}
        />
      </Section>
      <Section title="Where dumps go">
        <FactList
          facts={[
            {
              label: 'Storage',
              value: storage ? (
                <Stack gap={0}>
                  <Anchor component={Link} href="/storage" size="sm">
                    {storage.name}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {PROVIDER_LABELS[storage.provider]} · {storageLocation(storage)}
                  </Text>
                </Stack>
              ) : (
                '—'
              ),
            },
            {
              label: 'Notification',
              value: db.notification_id ? (
                <Anchor component={Link} href="/notifications" size="sm">
                  {notification?.name ?? '…'}
                </Anchor>
              ) : (
                'None'
              ),
            },
            {
              label: 'Encryption',
              value:
                db.encryption_recipients.length === 0 ? (
                  'Not encrypted'
                ) : (
                  <Stack gap={4}>
                    <Text size="sm">
                      age, to {db.encryption_recipients.length} recipient
                      {db.encryption_recipients.length === 1 ? '' : 's'}
                    </Text>
                    {db.encryption_recipients.map((key) => (
                      <Code key={key} style={{ wordBreak: 'break-all' }}>
                        {key}
                      </Code>
                    ))}
                  </Stack>
                ),
            },
          ]}
        />
      </Section>
      <Section title="Schedule and retention">
        <FactList
          facts={[
            {
              label: 'Status',
              value: (
                <Badge variant="dot" color={db.enabled ? 'teal' : 'gray'}>
                  {db.enabled ? 'Enabled' : 'Paused'}
                </Badge>
              ),
            },
            { label: 'Schedule', value: db.schedule ? <Code>{db.schedule}</Code> : 'On demand only' },
            { label: 'Time zone', value: db.timezone },
            { label: 'Retention', value: describeRotation(db.rotation_policy) },
            { label: 'Failed backups', value: describeRetry(db.retry), testId: 'database-retry' },
            { label: 'Last backup', value: formatDateTime(db.last_backup_at, 'Never') },
          ]}
        />
      </Section>
      <Section title="What is dumped">
        <FactList
          facts={[
            { label: 'Only these schemas', value: <List items={db.include_schemas} empty="All" /> },
            { label: 'Not these schemas', value: <List items={db.exclude_schemas} empty="None" /> },
            { label: 'Only these tables', value: <List items={db.include_tables} empty="All" /> },
            { label: 'Not these tables', value: <List items={db.exclude_tables} empty="None" /> },
            { label: 'Added', value: formatDateTime(db.created_at) },
            { label: 'Last changed', value: formatDateTime(db.updated_at) },
          ]}
        />
      </Section>
    </SimpleGrid>
  );
}
