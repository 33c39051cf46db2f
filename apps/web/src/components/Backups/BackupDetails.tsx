'use client';

import { Alert, Anchor, Code, Drawer, List, Stack, Text } from '@mantine/core';
import type { BackupDto } from '@dumpstation/api-client';
import { IconAlertTriangle } from '@tabler/icons-react';
import { FactList } from '@/components/Common/FactList';
import { QueryError } from '@/components/Common/QueryError';
import { useBackup } from '@/hooks/queries/backups';
import { formatBytes, formatDateTime, formatDuration, formatExactBytes } from '@/lib/format';
import { BackupProgress } from './BackupProgress';
import { BackupStatusBadge } from './BackupStatusBadge';
import { TRIGGER_LABELS, retriedAsAttempt, retryLinks, retryOfLabel } from './status';

const BREAK_ALL = { wordBreak: 'break-all' } as const;

function Digest({ value, testId }: { value: string | null; testId: string }) {
  if (!value) return <Text size="sm">—</Text>;
  return (
    <Code style={{ display: 'block', whiteSpace: 'pre-wrap', ...BREAK_ALL }} data-testid={testId}>
      {value}
    </Code>
  );
}

function Size({ bytes }: { bytes: number | null }) {
  if (bytes === null) return <Text size="sm">—</Text>;
  return (
    <Text size="sm">
      {formatBytes(bytes)}{' '}
      <Text span size="xs" c="dimmed">
        ({formatExactBytes(bytes)})
      </Text>
    </Text>
  );
}

/** A button-link that shows `backup` in the drawer instead. */
function BackupLink({ backup, onOpen }: { backup: BackupDto; onOpen: (backup: BackupDto) => void }) {
  return (
    <Anchor component="button" type="button" size="sm" onClick={() => onOpen(backup)}>
      {backup.name}
    </Anchor>
  );
}

/** Which attempt it is, and the failed one it retries (a link when that one is loaded). */
function Attempt({
  backup,
  original,
  onOpen,
}: {
  backup: BackupDto;
  original?: BackupDto;
  onOpen: (backup: BackupDto) => void;
}) {
  if (backup.attempt <= 1 && !backup.retry_of_id) return <Text size="sm">1 (first try)</Text>;
  return (
    <Text size="sm">
      {backup.attempt},{' '}
      {original ? (
        <>
          retry of <BackupLink backup={original} onOpen={onOpen} />
        </>
      ) : (
        retryOfLabel(undefined).toLowerCase()
      )}
    </Text>
  );
}

/** For a failed attempt that is retried: the attempt that follows (a link when it is loaded). */
function RetriedAs({
  attempt,
  retry,
  onOpen,
}: {
  attempt: number;
  retry?: BackupDto;
  onOpen: (backup: BackupDto) => void;
}) {
  return (
    <Text size="sm" fw={500} data-testid="backup-retried-as">
      Retried as attempt {attempt}
      {retry ? (
        <>
          : <BackupLink backup={retry} onOpen={onOpen} />
        </>
      ) : null}
    </Text>
  );
}

function Details({
  backup,
  related,
  onOpen,
}: {
  backup: BackupDto;
  related: readonly BackupDto[];
  onOpen: (backup: BackupDto) => void;
}) {
  const links = retryLinks(related);
  const retriedAs = retriedAsAttempt(backup);
  return (
    <Stack data-testid="backup-details">
      {backup.error_message && backup.status === 'skipped' ? (
        <Alert color="yellow" variant="light" title="This scheduled slot did not run" data-testid="backup-skipped">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', ...BREAK_ALL }} data-testid="backup-error">
            {backup.error_message}
          </Text>
        </Alert>
      ) : backup.error_message ? (
        <Alert color="red" variant="light" icon={<IconAlertTriangle />} title="The backup failed" role="alert">
          <Stack gap={6}>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', ...BREAK_ALL }} data-testid="backup-error">
              {backup.error_message}
            </Text>
            {retriedAs !== null ? <RetriedAs attempt={retriedAs} retry={links.retry(backup)} onOpen={onOpen} /> : null}
          </Stack>
        </Alert>
      ) : null}
      {backup.status === 'deleted' ? (
        <Alert color="gray" variant="light" title="Removed by retention" data-testid="backup-deleted">
          Its dump, roles object and sidecar were deleted from the storage on {formatDateTime(backup.deleted_at)}; the
          record stays in the history.
        </Alert>
      ) : null}
      {backup.deletion_error ? (
        <Alert
          color="orange"
          variant="light"
          title="Retention could not remove it yet"
          data-testid="backup-deletion-error"
        >
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', ...BREAK_ALL }}>
            {backup.deletion_error}
          </Text>
          <Text size="xs" c="dimmed">
            Tried again on the next retention run.
          </Text>
        </Alert>
      ) : null}
      <FactList
        facts={[
          { label: 'Status', value: <BackupStatusBadge job={backup} testId="backup-detail-status" /> },
          {
            label: 'Attempt',
            testId: 'backup-detail-attempt',
            value: <Attempt backup={backup} original={links.original(backup)} onOpen={onOpen} />,
          },
          { label: 'Trigger', value: TRIGGER_LABELS[backup.trigger] },
          { label: 'Created', value: formatDateTime(backup.created_at) },
          { label: 'Started', value: formatDateTime(backup.started_at) },
          { label: 'Finished', value: formatDateTime(backup.finished_at) },
          { label: 'Duration', value: formatDuration(backup.duration_ms) },
          ...(backup.status === 'pending' || backup.status === 'running'
            ? [{ label: 'Progress', value: <BackupProgress backup={backup} /> }]
            : []),
          { label: 'Stored size', value: <Size bytes={backup.size_bytes} /> },
          { label: 'Dump size', value: <Size bytes={backup.dump_size_bytes} /> },
          {
            label: 'Encrypted',
            value: backup.encrypted
              ? `Yes, with age, to ${backup.encryption_recipients.length} recipient${backup.encryption_recipients.length === 1 ? '' : 's'}`
              : 'No',
          },
          { label: 'PostgreSQL server', value: backup.server_version ?? '—' },
          { label: 'pg_dump', value: backup.pg_dump_version ?? '—' },
          { label: 'SHA-256 of the dump', value: <Digest value={backup.sha256} testId="backup-sha256" /> },
          {
            label: 'SHA-256 of the stored object',
            value: <Digest value={backup.object_sha256} testId="backup-object-sha256" />,
          },
          { label: 'Object key', value: <Digest value={backup.object_key} testId="backup-object-key" /> },
          {
            label: 'Warnings',
            testId: 'backup-warnings',
            value:
              backup.warnings.length === 0 ? (
                'None'
              ) : (
                <List size="sm" spacing={4}>
                  {backup.warnings.map((warning, index) => (
                    <List.Item key={index} style={{ whiteSpace: 'pre-wrap', ...BREAK_ALL }}>
                      {warning}
                    </List.Item>
                  ))}
                </List>
              ),
          },
        ]}
      />
    </Stack>
  );
}

/**
 * Everything known about one backup, kept live while it runs; `related` (the loaded page) links
 * a retry and the failed attempt it retries to each other, `onOpen` shows another backup.
 */
export function BackupDetailsDrawer({
  backup,
  related = [],
  onOpen,
  onClose,
}: {
  backup: BackupDto | null;
  related?: readonly BackupDto[];
  onOpen: (backup: BackupDto) => void;
  onClose: () => void;
}) {
  const live = useBackup(backup?.id ?? null);
  // The row's copy until the backup's own answer arrives.
  const shown = live.data?.id === backup?.id ? live.data : backup;
  return (
    <Drawer
      opened={backup !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={shown ? `Backup ${shown.name}` : 'Backup'}
    >
      {live.isError ? <QueryError error={live.error} title="Could not refresh this backup" /> : null}
      {shown ? <Details backup={shown} related={related} onOpen={onOpen} /> : null}
    </Drawer>
  );
}
