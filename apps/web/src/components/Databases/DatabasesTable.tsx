'use client';

import { Anchor, Badge, ColorSwatch, Group, Stack, Switch, Text, Tooltip } from '@mantine/core';
import type { DatabaseDto, StorageDto } from '@dumpstation/api-client';
import Link from 'next/link';
import { NOWRAP_CELL, type DataColumn } from '@/components/Common/DataTable';
import { ResourceTable, type ResourceRowActions } from '@/components/Common/ResourceTable';
import { formatDateTime } from '@/lib/format';
import { describeRotation, describeSchedule } from './options';

/** Pause or resume a database's schedule from the list (admins and owners). */
export interface EnabledToggle {
  canToggle: boolean;
  /** The database whose change is being saved. */
  togglingId: string | null;
  onToggle: (db: DatabaseDto, enabled: boolean) => void;
}

function EnabledCell({ db, toggle }: { db: DatabaseDto; toggle: EnabledToggle }) {
  const label = db.enabled ? 'Enabled' : 'Paused';
  if (!toggle.canToggle) {
    return (
      <Group gap={6} wrap="nowrap">
        <ColorSwatch size={8} color={db.enabled ? 'var(--mantine-color-teal-6)' : 'var(--mantine-color-gray-5)'} />
        <Text size="sm">{label}</Text>
      </Group>
    );
  }
  return (
    <Switch
      size="sm"
      color="teal"
      checked={db.enabled}
      disabled={toggle.togglingId === db.id}
      onChange={(event) => toggle.onToggle(db, event.currentTarget.checked)}
      label={label}
      aria-label={db.enabled ? `Pause ${db.name}` : `Resume ${db.name}`}
      data-testid={`database-enabled-${db.name}`}
    />
  );
}

/** Whether the database is protected, in words (colour only repeats them). */
const PROTECTION: Record<DatabaseDto['protection'], { label: string; color: string; why: string }> = {
  ok: { label: 'Protected', color: 'teal', why: 'Its newest successful backup is recent enough.' },
  stale: {
    label: 'Stale',
    color: 'orange',
    why: 'Its newest successful backup is older than it may be (max_age_hours, or twice the schedule interval).',
  },
  failing: { label: 'Failing', color: 'red', why: 'Its newest backup failed.' },
  unscheduled: {
    label: 'Unscheduled',
    color: 'gray',
    why: 'No schedule and no maximum age: nothing says how fresh it must be.',
  },
};

function ProtectionBadge({ db }: { db: DatabaseDto }) {
  const protection = PROTECTION[db.protection];
  return (
    <Tooltip label={protection.why} multiline w={260}>
      <Badge
        color={protection.color}
        variant={db.protection === 'ok' || db.protection === 'unscheduled' ? 'light' : 'filled'}
        data-testid={`database-protection-${db.name}`}
        data-protection={db.protection}
      >
        {protection.label}
      </Badge>
    </Tooltip>
  );
}

function columns(storageNames: Map<string, string>, toggle: EnabledToggle): DataColumn<DatabaseDto>[] {
  return [
    {
      header: 'Name',
      td: NOWRAP_CELL,
      cell: (db) => (
        <Anchor component={Link} href={`/databases/${db.id}`} fw={500} size="sm">
          {db.name}
        </Anchor>
      ),
    },
    {
      header: 'Server',
      cell: (db) => (
        <Stack gap={0}>
          <Text size="sm" style={{ wordBreak: 'break-all' }} data-testid="database-address">
            {db.host}:{db.port}
          </Text>
          <Text size="xs" c="dimmed">
            {db.dbname} as {db.user} · sslmode {db.sslmode}
            {db.password_set ? '' : ' · no password'}
          </Text>
        </Stack>
      ),
    },
    { header: 'Storage', cell: (db) => storageNames.get(db.storage_id) ?? '—' },
    {
      header: 'Schedule',
      cell: (db) => (
        <Stack gap={0}>
          <Text size="sm">{describeSchedule(db)}</Text>
          {db.schedule_description ? (
            <Text size="xs" c="dimmed" data-testid="database-schedule-description">
              {db.schedule_description}
              {db.enabled && db.next_runs[0] ? ` · next ${formatDateTime(db.next_runs[0])}` : ''}
            </Text>
          ) : null}
          <Text size="xs" c="dimmed">
            {describeRotation(db.rotation_policy)}
          </Text>
        </Stack>
      ),
    },
    {
      header: 'Status',
      td: NOWRAP_CELL,
      cell: (db) => <EnabledCell db={db} toggle={toggle} />,
    },
    {
      header: 'Protection',
      td: NOWRAP_CELL,
      cell: (db) => <ProtectionBadge db={db} />,
    },
    {
      header: 'Last backup',
      nowrapHeader: true,
      td: NOWRAP_CELL,
      cell: (db) => formatDateTime(db.last_backup_at, 'Never'),
    },
  ];
}

export function DatabasesTable({
  databases,
  storages,
  toggle,
  ...actions
}: {
  databases: DatabaseDto[];
  /** To name each database's storage. */
  storages: StorageDto[];
  toggle: EnabledToggle;
} & ResourceRowActions<DatabaseDto>) {
  const storageNames = new Map(storages.map((s) => [s.id, s.name]));
  return (
    <ResourceTable
      items={databases}
      empty="No databases yet. Add one to start backing it up."
      minWidth={960}
      label="Databases"
      testId="databases-table"
      rowTestId={(db) => `database-row-${db.name}`}
      columns={columns(storageNames, toggle)}
      deleteMessage="Its settings and backup history go with it. Dump files already in storage are left in place."
      actions={actions}
    />
  );
}
