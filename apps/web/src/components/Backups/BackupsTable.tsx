'use client';

import { ActionIcon, Anchor, Group, Stack, Tooltip } from '@mantine/core';
import type { BackupDto } from '@dumpstation/api-client';
import { IconDownload, IconLock, IconLockOpen, IconRestore, IconShieldCheck, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { ByteSize } from '@/components/Common/ByteSize';
import { ConfirmActionIcon } from '@/components/Common/ConfirmButton';
import { DataTable, NOWRAP_CELL, type DataColumn } from '@/components/Common/DataTable';
import { isActive } from '@/hooks/queries/backups';
import { formatDateTime, formatDuration } from '@/lib/format';
import { AttemptBadge, RetriedBadge } from './AttemptBadge';
import { BackupProgress } from './BackupProgress';
import { BackupStatusBadge } from './BackupStatusBadge';
import { TRIGGER_LABELS, retriedAsAttempt, retryLinks, type RetryLinks } from './status';

function Encrypted({ backup }: { backup: BackupDto }) {
  const label = backup.encrypted ? 'Encrypted with age' : 'Not encrypted';
  return (
    <Tooltip label={label}>
      <span aria-label={label} role="img" data-testid="backup-encrypted" data-encrypted={backup.encrypted}>
        {backup.encrypted ? (
          <IconLock size={16} color="var(--mantine-color-teal-6)" />
        ) : (
          <IconLockOpen size={16} color="var(--mantine-color-gray-5)" />
        )}
      </span>
    </Tooltip>
  );
}

export interface BackupRowActions {
  /** Operator or higher: verify and download. */
  canOperate: boolean;
  /** Admin or higher: restore and delete. */
  canAdmin: boolean;
  verifyingId: string | null;
  downloadingId: string | null;
  onDetails: (backup: BackupDto) => void;
  onVerify: (backup: BackupDto) => void;
  onDownload: (backup: BackupDto) => void;
  onRestore: (backup: BackupDto) => void;
  onDelete: (backup: BackupDto) => Promise<unknown>;
}

function Action({
  label,
  icon,
  color,
  disabled,
  loading,
  onClick,
}: {
  label: string;
  icon: ReactNode;
  color?: string;
  disabled: boolean;
  loading?: boolean;
  onClick: () => void;
}) {
  return (
    <Tooltip label={label}>
      <ActionIcon
        variant="subtle"
        color={color}
        disabled={disabled}
        loading={loading}
        onClick={onClick}
        aria-label={label}
      >
        {icon}
      </ActionIcon>
    </Tooltip>
  );
}

function Actions({ backup, actions }: { backup: BackupDto; actions: BackupRowActions }) {
  // Only a finished backup has an object to verify, download or restore.
  const unavailable = !(backup.status === 'success' && backup.object_key);
  return (
    <Group gap={4} justify="flex-end" wrap="nowrap">
      {actions.canOperate ? (
        <>
          <Action
            label={`Verify ${backup.name}`}
            icon={<IconShieldCheck size={18} />}
            disabled={unavailable}
            loading={actions.verifyingId === backup.id}
            onClick={() => actions.onVerify(backup)}
          />
          <Action
            label={`Download ${backup.name}`}
            icon={<IconDownload size={18} />}
            disabled={unavailable}
            loading={actions.downloadingId === backup.id}
            onClick={() => actions.onDownload(backup)}
          />
        </>
      ) : null}
      {actions.canAdmin ? (
        <>
          <Action
            label={`Restore ${backup.name}`}
            icon={<IconRestore size={18} />}
            color="orange"
            disabled={unavailable}
            onClick={() => actions.onRestore(backup)}
          />
          <ConfirmActionIcon
            label={`Delete ${backup.name}`}
            icon={<IconTrash size={18} />}
            disabled={isActive(backup)}
            title={`Delete ${backup.name}?`}
            message="Its stored object, its checksum sidecar and its record are removed. This cannot be undone."
            confirmLabel="Delete"
            onConfirm={() => actions.onDelete(backup)}
          />
        </>
      ) : null}
    </Group>
  );
}

/**
 * The state; for a retry, its attempt; for a failed backup that is retried, that it is; while it
 * is pending or running, how far it is.
 */
function Status({ backup, links }: { backup: BackupDto; links: RetryLinks }) {
  const retriedAs = retriedAsAttempt(backup);
  return (
    <Stack gap={4}>
      {/* As wide as its badges: the table must not squeeze a badge's text into an ellipsis. */}
      <Group gap={6} wrap="nowrap" style={{ minWidth: 'max-content' }}>
        <BackupStatusBadge job={backup} />
        <AttemptBadge backup={backup} original={links.original(backup)} />
        {retriedAs !== null ? <RetriedBadge attempt={retriedAs} retry={links.retry(backup)} /> : null}
      </Group>
      {isActive(backup) ? <BackupProgress backup={backup} /> : null}
    </Stack>
  );
}

function columns(onDetails: (backup: BackupDto) => void, links: RetryLinks): DataColumn<BackupDto>[] {
  return [
    {
      header: 'Name',
      td: NOWRAP_CELL,
      cell: (backup) => (
        <Anchor component="button" type="button" fw={500} size="sm" onClick={() => onDetails(backup)}>
          {backup.name}
        </Anchor>
      ),
    },
    { header: 'Status', td: NOWRAP_CELL, cell: (backup) => <Status backup={backup} links={links} /> },
    { header: 'Trigger', cell: (backup) => TRIGGER_LABELS[backup.trigger] },
    { header: 'Started', td: NOWRAP_CELL, cell: (backup) => formatDateTime(backup.started_at ?? backup.created_at) },
    { header: 'Duration', td: NOWRAP_CELL, cell: (backup) => formatDuration(backup.duration_ms) },
    {
      header: 'Size',
      td: NOWRAP_CELL,
      cell: (backup) => <ByteSize bytes={backup.size_bytes} testId="backup-size" />,
    },
    { header: <IconLock size={14} aria-label="Encrypted" />, cell: (backup) => <Encrypted backup={backup} /> },
  ];
}

/** A database's backups: state, timing, size and encryption, with what each role may do to them. */
export function BackupsTable({
  backups,
  empty,
  ...actions
}: { backups: BackupDto[]; empty: string } & BackupRowActions) {
  return (
    <DataTable
      items={backups}
      empty={empty}
      minWidth={900}
      label="Backup history"
      testId="backups-table"
      rowAttributes={(backup) => ({
        'data-testid': `backup-row-${backup.name}`,
        'data-status': backup.status,
        'data-attempt': String(backup.attempt),
      })}
      columns={columns(actions.onDetails, retryLinks(backups))}
      actions={
        actions.canOperate || actions.canAdmin ? (backup) => <Actions backup={backup} actions={actions} /> : undefined
      }
    />
  );
}
