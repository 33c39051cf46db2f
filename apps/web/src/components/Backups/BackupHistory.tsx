'use client';

import { Button, Card, Group, Stack } from '@mantine/core';
import type { BackupDto, DatabaseDto } from '@dumpstation/api-client';
import { IconArchive, IconPlayerPlay } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { CheckResultAlert } from '@/components/Common/CheckResultAlert';
import { FilterSelect } from '@/components/Common/FilterSelect';
import { HistoryHeading } from './HistoryHeading';
import { PagedQuery } from '@/components/Common/PagedQuery';
import { QueryError } from '@/components/Common/QueryError';
import {
  isActive,
  useBackups,
  SCHEDULED_POLL_MS,
  useDeleteBackup,
  useDownloadBackup,
  useInvalidateAfterBackup,
  useStartBackup,
  useVerifyBackup,
  type BackupStatusFilter,
} from '@/hooks/queries/backups';
import { useSignedInSession } from '@/lib/auth/SessionProvider';
import { hasRole } from '@/lib/auth/roles';
import { BackupDetailsDrawer } from './BackupDetails';
import { BackupsTable } from './BackupsTable';
import { RestoreModal } from './RestoreModal';
import { STATUS_FILTERS, STATUS_LABELS } from './status';

/**
 * A database's backups, newest first, followed live while any runs: start one, filter by state,
 * see one in full, verify, download, restore or delete it (each for the roles that may).
 */
export function BackupHistory({ database }: { database: DatabaseDto }) {
  const session = useSignedInSession();
  const canOperate = hasRole(session.tenant.role, 'operator');
  const canAdmin = hasRole(session.tenant.role, 'admin');
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<BackupStatusFilter | null>(null);
  const [details, setDetails] = useState<BackupDto | null>(null);
  const [restoring, setRestoring] = useState<BackupDto | null>(null);
  const [verified, setVerified] = useState<BackupDto | null>(null);
  const backups = useBackups(
    database.id,
    page,
    status,
    database.enabled && database.schedule ? SCHEDULED_POLL_MS : false,
  );
  const start = useStartBackup();
  const verify = useVerifyBackup();
  const download = useDownloadBackup();
  const remove = useDeleteBackup();
  const invalidate = useInvalidateAfterBackup();

  // When the last running backup on the page ends, the database's “last backup” has changed too.
  const active = backups.data?.items.some(isActive) ?? false;
  const wasActive = useRef(active);
  useEffect(() => {
    if (wasActive.current && !active) void invalidate();
    wasActive.current = active;
  }, [active, invalidate]);

  const total = backups.data?.total;
  return (
    <Card data-testid="backup-history">
      <Stack>
        <Group justify="space-between" align="flex-start">
          <HistoryHeading
            icon={<IconArchive size={18} stroke={1.6} />}
            title="Backup history"
            total={total}
            status={status}
            noun="backup"
            testId="backup-count"
          />
          <Group gap="xs">
            <FilterSelect
              label="Status"
              placeholder="All statuses"
              data={STATUS_FILTERS}
              value={status}
              onChange={(value) => {
                setStatus(value);
                setPage(1);
              }}
              width={170}
            />
            {canOperate ? (
              <Button
                leftSection={<IconPlayerPlay size={16} />}
                loading={start.isPending}
                onClick={() =>
                  start.mutate(
                    { path: { id: database.id } },
                    {
                      onSuccess: () => {
                        // Show where the new backup is: the first page, unfiltered.
                        setStatus(null);
                        setPage(1);
                      },
                    },
                  )
                }
              >
                Back up now
              </Button>
            ) : null}
          </Group>
        </Group>
        {start.isError ? <QueryError error={start.error} title="Could not start a backup" /> : null}
        {verified && (verify.data || verify.isError) ? (
          <CheckResultAlert
            subject={verified.name}
            result={verify.data}
            error={verify.error}
            titles={{
              error: `Could not verify ${verified.name}`,
              passed: `${verified.name}: verified`,
              failed: `${verified.name}: verification failed`,
            }}
            onClose={() => {
              verify.reset();
              setVerified(null);
            }}
            testId="backup-verify-result"
          />
        ) : null}
        {download.isError ? <QueryError error={download.error} title="Could not download the backup" /> : null}
        {remove.isError ? <QueryError error={remove.error} title="Could not delete the backup" /> : null}
        <PagedQuery query={backups} page={page} onPageChange={setPage} errorTitle="Could not load the backups">
          {(items) => (
            <BackupsTable
              backups={items}
              empty={
                status
                  ? `No ${STATUS_LABELS[status].toLowerCase()} backups.`
                  : 'No backups yet. Back up now, or give the database a schedule.'
              }
              canOperate={canOperate}
              canAdmin={canAdmin}
              verifyingId={verify.isPending ? (verify.variables?.path.id ?? null) : null}
              downloadingId={download.isPending ? (download.variables?.path.id ?? null) : null}
              onDetails={setDetails}
              onVerify={(backup) => {
                setVerified(backup);
                verify.mutate({ path: { id: backup.id } });
              }}
              onDownload={(backup) => download.mutate({ path: { id: backup.id } })}
              onRestore={setRestoring}
              onDelete={(backup) => remove.mutateAsync({ path: { id: backup.id } }).catch(() => undefined)}
            />
          )}
        </PagedQuery>
      </Stack>
      <BackupDetailsDrawer
        backup={details}
        related={backups.data?.items}
        onOpen={setDetails}
        onClose={() => setDetails(null)}
      />
      <RestoreModal backup={restoring} database={database} onClose={() => setRestoring(null)} />
    </Card>
  );
}
