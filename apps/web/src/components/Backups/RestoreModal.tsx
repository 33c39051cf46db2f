'use client';

import { Alert, Button, Checkbox, Code, Group, Loader, Modal, Radio, Stack, Text, TextInput } from '@mantine/core';
import type { BackupDto, DatabaseDto, RestoreDto, RestoreRequestDto } from '@dumpstation/api-client';
import { IconAlertTriangle, IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { FormProblem } from '@/components/Common/FormProblem';
import { QueryError } from '@/components/Common/QueryError';
import { ConnectionFields, type ConnectionValues } from '@/components/Databases/ConnectionFields';
import { connectionLabel } from '@/components/Databases/options';
import { isActive, useRestore, useRestoreBackup } from '@/hooks/queries/backups';
import { formError } from '@/lib/api/errors';
import { formatDateTime, formatDuration } from '@/lib/format';
import { BackupStatusBadge } from './BackupStatusBadge';

type Destination = 'source' | 'other';

/** The fields shown under an input; the API's message about any other goes above the form. */
const FIELDS = [
  'target_host',
  'target_port',
  'target_dbname',
  'target_user',
  'target_password',
  'target_sslmode',
] as const;

interface RestoreValues extends ConnectionValues {
  destination: Destination;
  clean: boolean;
  create: boolean;
  /** null: the API's default for the destination (skipped elsewhere, restored into the source). */
  noOwner: boolean | null;
  noPrivileges: boolean | null;
  singleTransaction: boolean;
  createRoles: boolean;
  confirmation: string;
}

function initialValues(db: DatabaseDto): RestoreValues {
  return {
    destination: 'source',
    host: db.host,
    port: db.port,
    dbname: '',
    user: db.user,
    password: '',
    sslmode: db.sslmode,
    clean: false,
    create: false,
    noOwner: null,
    noPrivileges: null,
    singleTransaction: false,
    createRoles: false,
    confirmation: '',
  };
}

function requestBody(values: RestoreValues): RestoreRequestDto {
  const body: RestoreRequestDto = { clean: values.clean };
  if (values.noOwner !== null) body.no_owner = values.noOwner;
  if (values.noPrivileges !== null) body.no_privileges = values.noPrivileges;
  if (values.singleTransaction) body.single_transaction = true;
  if (values.createRoles) body.create_roles = true;
  if (values.destination === 'other') {
    body.create = values.create;
    body.target_host = values.host.trim();
    if (values.port !== '') body.target_port = Number(values.port);
    body.target_dbname = values.dbname.trim();
    body.target_user = values.user.trim();
    body.target_sslmode = values.sslmode;
    if (values.password) body.target_password = values.password;
  }
  return body;
}

/** What has to be typed to confirm: the backup's name, or the database restored into. */
function expectedConfirmation(backup: BackupDto, values: RestoreValues): string {
  return values.destination === 'source' ? backup.name : values.dbname.trim();
}

/** The API's default for ownership and privileges: kept into the source, skipped elsewhere unless roles are created. */
const skippedByDefault = (values: RestoreValues) => values.destination === 'other' && !values.createRoles;

const STRATEGY_LABELS: Record<NonNullable<RestoreDto['strategy']>, string> = {
  swap: 'into a fresh copy that then takes the name',
  single_transaction: 'in one transaction (a failure changes nothing)',
  direct: 'into the database it created (dropped again on failure)',
};

function RestoreStrategy({ restore }: { restore: RestoreDto }) {
  if (!restore.strategy) return null;
  return (
    <Stack gap={2} data-testid="restore-strategy" data-strategy={restore.strategy}>
      <Text size="sm">Strategy: {STRATEGY_LABELS[restore.strategy]}</Text>
      {restore.strategy_note ? (
        <Text size="sm" c="dimmed">
          {restore.strategy_note}
        </Text>
      ) : null}
      {restore.kept_database ? (
        <Text size="sm" c="dimmed" data-testid="restore-kept">
          The previous database is kept as <Code>{restore.kept_database}</Code>
          {restore.kept_dropped_at
            ? ` (dropped ${formatDateTime(restore.kept_dropped_at)})`
            : restore.kept_until
              ? ` until ${formatDateTime(restore.kept_until)}`
              : ''}
          .
        </Text>
      ) : null}
    </Stack>
  );
}

function RestoreProgress({ started, onClose }: { started: RestoreDto; onClose: () => void }) {
  const query = useRestore(started.id);
  const restore = query.data ?? started;
  const target =
    restore.into_source || !restore.target_host
      ? 'the source database'
      : `${restore.target_dbname} on ${restore.target_host}:${restore.target_port}`;
  return (
    <Stack data-testid="restore-progress">
      <Group justify="space-between">
        <Text size="sm">Restoring into {target}</Text>
        <BackupStatusBadge job={restore} testId="restore-status" />
      </Group>
      <RestoreStrategy restore={restore} />
      {isActive(restore) ? (
        <Group gap="xs">
          <Loader size="sm" />
          <Text size="sm" c="dimmed">
            {restore.status === 'pending'
              ? 'Waiting to start…'
              : `Running since ${formatDateTime(restore.started_at)}…`}{' '}
            You can close this window: the restore goes on.
          </Text>
        </Group>
      ) : null}
      {restore.status === 'success' ? (
        <Alert color="green" variant="light" icon={<IconCircleCheck />} title="Restore finished" role="status">
          Restored in {formatDuration(restore.duration_ms)}, finished {formatDateTime(restore.finished_at)}.
          {restore.roles_created.length ? ` Roles created: ${restore.roles_created.join(', ')}.` : ''}
        </Alert>
      ) : null}
      {restore.status === 'failed' ? (
        <Alert color="red" variant="light" icon={<IconCircleX />} title="Restore failed" role="alert">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid="restore-error">
            {restore.error_message ?? 'No reason was recorded.'}
          </Text>
        </Alert>
      ) : null}
      {query.isError ? <QueryError error={query.error} title="Could not follow the restore" /> : null}
      <Group justify="flex-end">
        <Button variant={isActive(restore) ? 'default' : 'filled'} onClick={onClose}>
          Close
        </Button>
      </Group>
    </Stack>
  );
}

function RestoreForm({
  backup,
  database,
  onStarted,
  onCancel,
}: {
  backup: BackupDto;
  database: DatabaseDto;
  onStarted: (restore: RestoreDto) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState(() => initialValues(database));
  const restore = useRestoreBackup();
  const error = restore.error;
  const set = (next: Partial<RestoreValues>) => setValues((current) => ({ ...current, ...next }));
  const other = values.destination === 'other';
  const expected = expectedConfirmation(backup, values);
  const targetComplete = !other || Boolean(values.host.trim() && values.dbname.trim() && values.user.trim());
  const confirmed = expected !== '' && values.confirmation === expected;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!confirmed || !targetComplete) return;
    restore.mutate({ path: { id: backup.id }, body: requestBody(values) }, { onSuccess: onStarted });
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormProblem message={formError(error, FIELDS)} />
        <Radio.Group
          label="Restore"
          value={values.destination}
          onChange={(value) => set({ destination: value as Destination, confirmation: '' })}
        >
          <Stack gap="xs" mt={6}>
            <Radio
              value="source"
              label="Into the source database"
              description={`${connectionLabel(database)}: what the backup holds is written over its current contents`}
            />
            <Radio value="other" label="Into another database" description="Any PostgreSQL server the API can reach" />
          </Stack>
        </Radio.Group>

        {other ? (
          <ConnectionFields
            values={values}
            onChange={set}
            error={error}
            prefix="target_"
            dbnamePlaceholder="restored"
            passwordDescription="Kept encrypted only while the restore runs; empty: none"
          />
        ) : (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle />} title="This changes the source database">
            pg_restore writes into {database.dbname} on {database.host}:{database.port}. A failure never leaves a mix:
            with “Replace the database” the backup is restored into a fresh copy that then takes its name (the previous
            database is kept for a while); otherwise it runs in one transaction, and objects that already exist make it
            fail without changing anything.
          </Alert>
        )}

        <Stack gap="xs">
          <Checkbox
            label="Replace the database (clean)"
            description="Drop what the backup holds first: for a whole backup, restored into a fresh copy that then takes the name; the previous database is kept"
            checked={values.clean}
            onChange={(event) => set({ clean: event.currentTarget.checked })}
          />
          {other ? (
            <Checkbox
              label="Create the database first"
              description="CREATE DATABASE before restoring: it must not exist yet"
              checked={values.create}
              onChange={(event) => set({ create: event.currentTarget.checked })}
            />
          ) : null}
          {backup.roles_object_key ? (
            <Checkbox
              label="Create missing roles"
              description="From the roles stored with the backup, before pg_restore: only roles the server lacks, never superusers; existing roles are left as they are"
              checked={values.createRoles}
              onChange={(event) => set({ createRoles: event.currentTarget.checked })}
            />
          ) : null}
          <Checkbox
            label="All or nothing"
            description="pg_restore --single-transaction (no parallel jobs): a failure leaves the target untouched"
            checked={values.singleTransaction}
            onChange={(event) => set({ singleTransaction: event.currentTarget.checked })}
          />
          <Checkbox
            label="Skip ownership"
            description="pg_restore --no-owner: objects belong to the restoring user (default: only into another database)"
            checked={values.noOwner ?? skippedByDefault(values)}
            onChange={(event) => set({ noOwner: event.currentTarget.checked })}
          />
          <Checkbox
            label="Skip privileges"
            description="pg_restore --no-privileges: no GRANTs (default: only into another database; into the source its grants are kept)"
            checked={values.noPrivileges ?? skippedByDefault(values)}
            onChange={(event) => set({ noPrivileges: event.currentTarget.checked })}
          />
        </Stack>

        <TextInput
          label={
            expected ? (
              <>
                Type <Code>{expected}</Code> to confirm
              </>
            ) : (
              'Type the target database’s name to confirm'
            )
          }
          name="confirmation"
          autoComplete="off"
          spellCheck={false}
          disabled={!expected}
          value={values.confirmation}
          onChange={(event) => set({ confirmation: event.currentTarget.value })}
        />

        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" color="orange" loading={restore.isPending} disabled={!confirmed || !targetComplete}>
            Restore
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * Restores `backup` into its source database or another one, after the name is typed out; then
 * follows the restore until it ends.
 */
export function RestoreModal({
  backup,
  database,
  onClose,
}: {
  backup: BackupDto | null;
  database: DatabaseDto;
  onClose: () => void;
}) {
  const [started, setStarted] = useState<RestoreDto | null>(null);
  const close = () => {
    setStarted(null);
    onClose();
  };
  return (
    <Modal opened={backup !== null} onClose={close} title={backup ? `Restore ${backup.name}` : ''} size="lg">
      {backup && started ? <RestoreProgress started={started} onClose={close} /> : null}
      {backup && !started ? (
        <RestoreForm key={backup.id} backup={backup} database={database} onStarted={setStarted} onCancel={close} />
      ) : null}
    </Modal>
  );
}
