'use client';

import { Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';
import { ConfirmButton } from './ConfirmButton';

/** Test / Edit / Delete for one row of a resource table, each shown only to roles that may use it. */
export function RowActions({
  name,
  canTest,
  canManage,
  testing,
  testLabel = 'Test',
  onTest,
  onEdit,
  deleteTitle,
  deleteMessage,
  onDelete,
}: {
  /** The row's name, for the buttons' accessible labels. */
  name: string;
  canTest: boolean;
  canManage: boolean;
  testing: boolean;
  testLabel?: string;
  onTest: () => void;
  onEdit: () => void;
  deleteTitle: string;
  deleteMessage: ReactNode;
  onDelete: () => Promise<unknown>;
}) {
  return (
    <Group gap={6} justify="flex-end" wrap="nowrap">
      {canTest ? (
        <Button size="xs" variant="light" loading={testing} onClick={onTest} aria-label={`${testLabel} ${name}`}>
          {testLabel}
        </Button>
      ) : null}
      {canManage ? (
        <>
          <Button size="xs" variant="default" onClick={onEdit} aria-label={`Edit ${name}`}>
            Edit
          </Button>
          <ConfirmButton
            title={deleteTitle}
            message={deleteMessage}
            confirmLabel="Delete"
            aria-label={`Delete ${name}`}
            onConfirm={onDelete}
          >
            Delete
          </ConfirmButton>
        </>
      ) : null}
    </Group>
  );
}
