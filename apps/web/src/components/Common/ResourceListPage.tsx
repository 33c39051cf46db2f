'use client';

import { Button, Card, Modal, Stack, type ModalProps } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { Fragment, useState, type ReactNode } from 'react';
import { useSignedInSession } from '@/lib/auth/SessionProvider';
import { hasRole } from '@/lib/auth/roles';
import { PageHeader } from './PageHeader';
import { PagedQuery, type PagedQueryState } from './PagedQuery';
import { QueryError } from './QueryError';
import type { ResourceRowActions } from './ResourceTable';

type IdVariables = { path: { id: string } };

/** The parts of a "test" mutation (storage probe, webhook message, connection check) the page uses. */
export interface TestMutationState<R> {
  mutate(variables: IdVariables): void;
  reset(): void;
  data?: R;
  error: unknown;
  isError: boolean;
  isPending: boolean;
  variables?: IdVariables;
}

/** The parts of a delete mutation the page uses. */
export interface DeleteMutationState {
  mutateAsync(variables: IdVariables): Promise<unknown>;
  error: unknown;
  isError: boolean;
}

/** A finished test, for the page's alert. */
export interface TestOutcome<R> {
  subject: string;
  result?: R;
  error: unknown;
  onClose: () => void;
}

/**
 * The page of a tenant resource (storage, webhooks, databases): header with “Add”, the outcome
 * of the last test, a paginated table with Test / Edit / Delete, and the add/edit form in a modal.
 * Admins manage, operators test.
 */
export function ResourceListPage<T extends { id: string; name: string }, R>({
  title,
  description,
  addLabel,
  formTitle,
  formSize = 'lg',
  maw = 1200,
  list,
  page,
  onPageChange,
  loadErrorTitle,
  deleteErrorTitle,
  test,
  remove,
  renderTestResult,
  renderTable,
  renderForm,
  renderEmpty,
}: {
  title: string;
  description: string;
  addLabel: string;
  /** The modal's title: adding when `item` is undefined. */
  formTitle: (item: T | undefined) => string;
  formSize?: ModalProps['size'];
  maw?: number;
  list: PagedQueryState<T>;
  page: number;
  onPageChange: (page: number) => void;
  loadErrorTitle: string;
  deleteErrorTitle: string;
  test: TestMutationState<R>;
  remove: DeleteMutationState;
  renderTestResult: (outcome: TestOutcome<R>) => ReactNode;
  renderTable: (items: T[], actions: ResourceRowActions<T>) => ReactNode;
  /** The add/edit form; `close` after saving or cancelling. */
  renderForm: (item: T | undefined, close: () => void) => ReactNode;
  /** Instead of the empty table on the first page: what to do next; `add` opens the add form. */
  renderEmpty?: (add: () => void) => ReactNode;
}) {
  const session = useSignedInSession();
  const canManage = hasRole(session.tenant.role, 'admin');
  const canTest = hasRole(session.tenant.role, 'operator');
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [tested, setTested] = useState<T | null>(null);
  const close = () => setEditing(null);

  return (
    <Stack gap="lg" maw={maw}>
      <PageHeader
        title={title}
        description={description}
        actions={
          canManage ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              {addLabel}
            </Button>
          ) : null
        }
      />
      {tested && (test.data || test.isError)
        ? renderTestResult({
            subject: tested.name,
            result: test.data,
            error: test.error,
            onClose: () => {
              test.reset();
              setTested(null);
            },
          })
        : null}
      {remove.isError ? <QueryError error={remove.error} title={deleteErrorTitle} /> : null}
      <Card>
        <PagedQuery query={list} page={page} onPageChange={onPageChange} errorTitle={loadErrorTitle}>
          {(items) =>
            items.length === 0 && page === 1 && renderEmpty
              ? renderEmpty(() => setEditing('new'))
              : renderTable(items, {
                  canTest,
                  canManage,
                  testingId: test.isPending ? (test.variables?.path.id ?? null) : null,
                  onTest: (item) => {
                    setTested(item);
                    test.mutate({ path: { id: item.id } });
                  },
                  onEdit: setEditing,
                  onDelete: (item) => remove.mutateAsync({ path: { id: item.id } }).catch(() => undefined),
                })
          }
        </PagedQuery>
      </Card>
      <Modal
        opened={editing !== null}
        onClose={close}
        title={editing === null ? '' : formTitle(editing === 'new' ? undefined : editing)}
        size={formSize}
      >
        {editing ? (
          <Fragment key={editing === 'new' ? 'new' : editing.id}>
            {renderForm(editing === 'new' ? undefined : editing, close)}
          </Fragment>
        ) : null}
      </Modal>
    </Stack>
  );
}
