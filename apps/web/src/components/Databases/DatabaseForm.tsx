'use client';

import {
  Alert,
  Anchor,
  Checkbox,
  Divider,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Switch,
  TagsInput,
  Textarea,
} from '@mantine/core';
import type {
  CompressionDto,
  CreateDatabaseDto,
  DatabaseDto,
  NotificationDto,
  StorageDto,
  TestDatabaseChangesDto,
  TestDatabaseDto,
  UpdateDatabaseDto,
} from '@dumpstation/api-client';
import Link from 'next/link';
import { useMemo } from 'react';
import { NameField, ResourceForm, useResourceForm } from '@/components/Common/ResourceForm';
import { PROVIDER_LABELS } from '@/components/Storage/providers';
import {
  useCreateDatabase,
  useTestDatabase,
  useTestUnsavedDatabase,
  useUpdateDatabase,
} from '@/hooks/queries/databases';
import { useNotificationChoices } from '@/hooks/queries/notifications';
import { useStorageChoices } from '@/hooks/queries/storage';
import { fieldError } from '@/lib/api/errors';
import { ConnectionFields } from './ConnectionFields';
import { ScheduleFields } from './ScheduleFields';
import { RetentionFields, retentionPolicy, retentionValues, type RetentionValues } from './RetentionFields';
import { RetryFields, retryPolicy, retryValues, type RetryValues } from './RetryFields';
import { timeZones, type SslMode } from './options';

const FIELDS = [
  'name',
  'host',
  'port',
  'dbname',
  'user',
  'password',
  'sslmode',
  'storage_id',
  'notification_id',
  'schedule',
  'timezone',
  'enabled',
  'rotation_policy',
  'rotation_policy.type',
  'rotation_policy.value',
  'rotation_policy.hourly',
  'rotation_policy.daily',
  'rotation_policy.weekly',
  'rotation_policy.monthly',
  'rotation_policy.yearly',
  'rotation_policy.min_keep',
  'retry',
  'retry.attempts',
  'retry.delay_seconds',
  'encryption_recipients',
  'include_schemas',
  'exclude_schemas',
  'include_tables',
  'exclude_tables',
  'compression',
  'compression.algorithm',
  'compression.level',
] as const;

interface DatabaseValues {
  name: string;
  host: string;
  port: number | string;
  dbname: string;
  user: string;
  /** A new password; empty keeps the stored one. */
  password: string;
  removePassword: boolean;
  sslmode: SslMode;
  /** null: none picked (a new database with a single storage uses that one). */
  storageId: string | null;
  notificationId: string | null;
  schedule: string;
  timezone: string;
  enabled: boolean;
  retention: RetentionValues;
  retry: RetryValues;
  /** age public keys, one per line. */
  encryptionRecipients: string;
  includeSchemas: string[];
  excludeSchemas: string[];
  includeTables: string[];
  excludeTables: string[];
  /** '' : the default for the pg_dump that runs. */
  compression: CompressionAlgorithm | '';
  /** '' : the algorithm's default level. */
  compressionLevel: number | string;
}

function initialValues(db?: DatabaseDto): DatabaseValues {
  return {
    name: db?.name ?? '',
    host: db?.host ?? '',
    port: db?.port ?? 5432,
    dbname: db?.dbname ?? '',
    user: db?.user ?? '',
    password: '',
    removePassword: false,
    sslmode: db?.sslmode ?? 'prefer',
    storageId: db?.storage_id ?? null,
    notificationId: db?.notification_id ?? null,
    schedule: db?.schedule ?? '',
    timezone: db?.timezone ?? 'UTC',
    enabled: db?.enabled ?? true,
    retention: retentionValues(db?.rotation_policy),
    retry: retryValues(db?.retry),
    encryptionRecipients: db?.encryption_recipients.join('\n') ?? '',
    includeSchemas: db?.include_schemas ?? [],
    excludeSchemas: db?.exclude_schemas ?? [],
    includeTables: db?.include_tables ?? [],
    excludeTables: db?.exclude_tables ?? [],
    compression: db?.compression?.algorithm ?? '',
    compressionLevel: db?.compression?.level ?? '',
  };
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** The full settings as the API takes them, without the password (write-only, handled apart). */
function settings(values: DatabaseValues, storageId: string | null) {
  return {
    name: values.name.trim(),
    host: values.host.trim(),
    ...(values.port === '' ? {} : { port: Number(values.port) }),
    dbname: values.dbname.trim(),
    user: values.user.trim(),
    sslmode: values.sslmode,
    storage_id: storageId ?? '',
    notification_id: values.notificationId,
    schedule: values.schedule.trim() || null,
    timezone: values.timezone,
    enabled: values.enabled,
    rotation_policy: retentionPolicy(values.retention),
    retry: retryPolicy(values.retry),
    encryption_recipients: lines(values.encryptionRecipients),
    include_schemas: values.includeSchemas,
    exclude_schemas: values.excludeSchemas,
    include_tables: values.includeTables,
    exclude_tables: values.excludeTables,
    compression: values.compression
      ? {
          algorithm: values.compression,
          level:
            values.compression === 'none' || values.compressionLevel === '' ? null : Number(values.compressionLevel),
        }
      : null,
  } satisfies Omit<CreateDatabaseDto, 'storage_id'> & { storage_id: string };
}

function createBody(values: DatabaseValues, storageId: string | null): CreateDatabaseDto {
  const body: CreateDatabaseDto = settings(values, storageId);
  if (body.notification_id === null) delete body.notification_id;
  if (body.schedule === null) delete body.schedule;
  if (values.password) body.password = values.password;
  return body;
}

/** Only what changed; the stored password stays unless replaced or explicitly removed. */
function updateBody(db: DatabaseDto, values: DatabaseValues, storageId: string | null): UpdateDatabaseDto {
  const next = settings(values, storageId);
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(next)) {
    if (JSON.stringify(value) !== JSON.stringify(db[key as keyof DatabaseDto])) body[key] = value;
  }
  if (values.password) body.password = values.password;
  else if (values.removePassword) body.password = null;
  return body as UpdateDatabaseDto;
}

type CompressionAlgorithm = CompressionDto['algorithm'];

const COMPRESSION_OPTIONS = [
  { value: '', label: 'Default: zstd 3 with pg_dump 16 or newer, else gzip 6' },
  { value: 'zstd', label: 'zstd (pg_dump 16 or newer)' },
  { value: 'lz4', label: 'lz4 (pg_dump 16 or newer)' },
  { value: 'gzip', label: 'gzip' },
  { value: 'none', label: 'None' },
];
const LEVELS: Record<CompressionAlgorithm, string> = {
  zstd: '1 to 22; empty: 3',
  lz4: '1 to 12; empty: 1',
  gzip: '1 to 9; empty: 6',
  none: 'none takes no level',
};

/** What a connection test takes of a create or update body: where, who, and the compression to check. */
function connectionTest<T extends Partial<CreateDatabaseDto>>(body: T) {
  const { host, port, dbname, user, password, sslmode, compression } = body;
  return Object.fromEntries(
    Object.entries({ host, port, dbname, user, password, sslmode, compression }).filter(([, v]) => v !== undefined),
  );
}

function storageOptions(storages: StorageDto[]) {
  return storages.map((s) => ({ value: s.id, label: `${s.name} (${PROVIDER_LABELS[s.provider]})` }));
}

function notificationOptions(notifications: NotificationDto[]) {
  return notifications.map((n) => {
    const hint = n.webhook_id_hint ? ` · webhook ${n.webhook_id_hint}` : '';
    return { value: n.id, label: `${n.name}${hint}${n.enabled ? '' : ' (disabled)'}` };
  });
}

/** Adds a PostgreSQL database to back up, or edits `database`. */
export function DatabaseForm({
  database,
  onSaved,
  onCancel,
}: {
  database?: DatabaseDto;
  onSaved: (database: DatabaseDto) => void;
  onCancel: () => void;
}) {
  const storages = useStorageChoices();
  const notifications = useNotificationChoices();
  const zones = useMemo(() => timeZones(database?.timezone), [database?.timezone]);
  const storageItems = storages.data?.items ?? [];
  // A new database with a single storage to choose from goes there unless told otherwise.
  const storageOf = (values: DatabaseValues) =>
    values.storageId ?? (!database && storageItems.length === 1 ? storageItems[0].id : null);
  const form = useResourceForm({
    item: database,
    initialValues,
    fields: FIELDS,
    create: useCreateDatabase(),
    update: useUpdateDatabase(),
    createBody: (values) => createBody(values, storageOf(values)),
    updateBody: (db, values) => updateBody(db, values, storageOf(values)),
    onSaved,
    test: {
      unsaved: useTestUnsavedDatabase(),
      saved: useTestDatabase(),
      unsavedBody: (values) => connectionTest(createBody(values, null)) as TestDatabaseDto,
      changesBody: (db, values) => connectionTest(updateBody(db, values, null)) as TestDatabaseChangesDto,
    },
  });
  const { values, set, error } = form;
  const storageId = storageOf(values);

  return (
    <ResourceForm
      form={form}
      submitLabel={database ? 'Save database' : 'Add database'}
      ready={Boolean(values.name.trim())}
      onCancel={onCancel}
    >
      {storages.data && storageItems.length === 0 ? (
        <Alert color="yellow" variant="light" title="No storage yet">
          A database needs somewhere to put its dumps.{' '}
          <Anchor component={Link} href="/storage" size="sm">
            Add a storage first
          </Anchor>
          .
        </Alert>
      ) : null}
      <Group align="flex-end" grow>
        <NameField form={form} placeholder="billing-prod" />
        <Switch
          label="Enabled"
          description="Scheduled backups run only when enabled"
          checked={values.enabled}
          onChange={(event) => set({ enabled: event.currentTarget.checked })}
          error={fieldError(error, 'enabled')}
        />
      </Group>

      <Divider label="Connection" labelPosition="left" />
      <ConnectionFields
        values={values}
        onChange={(next) => set('password' in next ? { ...next, removePassword: false } : next)}
        error={error}
        dbnamePlaceholder="billing"
        usernameDescription="A role that may read everything to dump"
        passwordDescription="Stored encrypted and never shown again"
        passwordPlaceholder={
          database?.password_set ? 'A password is saved (hidden). Type a new one to replace it.' : undefined
        }
        passwordExtra={
          database?.password_set ? (
            <Checkbox
              label="Remove the saved password"
              checked={values.removePassword}
              disabled={Boolean(values.password)}
              onChange={(event) => set({ removePassword: event.currentTarget.checked })}
            />
          ) : null
        }
      />

      <Divider label="Where dumps go" labelPosition="left" />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label="Storage"
          name="storage_id"
          placeholder={storages.isPending ? 'Loading…' : 'Pick a storage'}
          required
          data={storageOptions(storageItems)}
          value={storageId}
          onChange={(value) => set({ storageId: value })}
          allowDeselect={false}
          nothingFoundMessage="No storage"
          error={fieldError(error, 'storage_id')}
        />
        <Select
          label="Notification"
          name="notification_id"
          placeholder="None"
          description="Discord webhook told about outcomes; optional"
          data={notificationOptions(notifications.data?.items ?? [])}
          value={values.notificationId}
          onChange={(value) => set({ notificationId: value })}
          clearable
          error={fieldError(error, 'notification_id')}
        />
      </SimpleGrid>

      <Divider label="Schedule and retention" labelPosition="left" />
      <ScheduleFields
        schedule={values.schedule}
        timezone={values.timezone}
        zones={zones}
        onChange={(next) => set(next)}
        error={(field) => fieldError(error, field)}
      />
      <RetentionFields
        values={values.retention}
        onChange={(next) => set({ retention: { ...values.retention, ...next } })}
        error={(field) => fieldError(error, field)}
        databaseId={database?.id}
      />

      <Divider label="Retries" labelPosition="left" />
      <RetryFields
        values={values.retry}
        onChange={(next) => set({ retry: { ...values.retry, ...next } })}
        error={(field) => fieldError(error, field)}
      />

      <Divider label="Compression" labelPosition="left" />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label="Compression"
          name="compression.algorithm"
          description="How pg_dump compresses the dump"
          data={COMPRESSION_OPTIONS}
          value={values.compression}
          onChange={(value) => set({ compression: (value ?? '') as CompressionAlgorithm | '' })}
          allowDeselect={false}
          error={fieldError(error, 'compression.algorithm') ?? fieldError(error, 'compression')}
        />
        <NumberInput
          clampBehavior="none"
          label="Compression level"
          name="compression.level"
          description={values.compression ? LEVELS[values.compression] : 'The default’s own level'}
          disabled={!values.compression || values.compression === 'none'}
          allowDecimal={false}
          value={values.compressionLevel}
          onChange={(value) => set({ compressionLevel: value })}
          error={fieldError(error, 'compression.level')}
        />
      </SimpleGrid>

      <Divider label="Encryption and scope" labelPosition="left" />
      <Textarea
        label="Encryption recipients"
        name="encryption_recipients"
        placeholder="age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
        description="age public keys, one per line: dumps are encrypted to them before upload; empty: not encrypted"
        autosize
        minRows={2}
        maxRows={6}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        value={values.encryptionRecipients}
        onChange={(event) => set({ encryptionRecipients: event.currentTarget.value })}
        error={fieldError(error, 'encryption_recipients')}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TagsInput
          label="Only these schemas"
          description="pg_dump -n; empty: all"
          placeholder="public"
          value={values.includeSchemas}
          onChange={(value) => set({ includeSchemas: value })}
          error={fieldError(error, 'include_schemas')}
        />
        <TagsInput
          label="Not these schemas"
          description="pg_dump -N"
          placeholder="audit"
          value={values.excludeSchemas}
          onChange={(value) => set({ excludeSchemas: value })}
          error={fieldError(error, 'exclude_schemas')}
        />
        <TagsInput
          label="Only these tables"
          description="pg_dump -t; empty: all"
          placeholder="public.orders"
          value={values.includeTables}
          onChange={(value) => set({ includeTables: value })}
          error={fieldError(error, 'include_tables')}
        />
        <TagsInput
          label="Not these tables"
          description="pg_dump -T"
          placeholder="public.sessions"
          value={values.excludeTables}
          onChange={(value) => set({ excludeTables: value })}
          error={fieldError(error, 'exclude_tables')}
        />
      </SimpleGrid>
    </ResourceForm>
  );
}
