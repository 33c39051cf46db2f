'use client';

import type { ReactNode } from 'react';
import { DataTable, type DataColumn } from './DataTable';
import { RowActions } from './RowActions';

/** Test / Edit / Delete for each row, as the page that lists the resources wires them. */
export interface ResourceRowActions<T> {
  canTest: boolean;
  canManage: boolean;
  /** The row whose test is running. */
  testingId: string | null;
  onTest: (item: T) => void;
  onEdit: (item: T) => void;
  onDelete: (item: T) => Promise<unknown>;
}

/**
 * A table of named resources (storage, webhooks, databases), with Test / Edit / Delete at the
 * end of each row for the roles that may use them.
 */
export function ResourceTable<T extends { id: string; name: string }>({
  label,
  items,
  empty,
  minWidth,
  testId,
  rowTestId,
  columns,
  deleteMessage,
  actions,
}: {
  label: string;
  items: T[];
  empty: string;
  minWidth: number;
  testId: string;
  rowTestId: (item: T) => string;
  columns: DataColumn<T>[];
  /** What deleting a row does, in the confirmation. */
  deleteMessage: ReactNode;
  actions: ResourceRowActions<T>;
}) {
  const { canTest, canManage, testingId, onTest, onEdit, onDelete } = actions;
  return (
    <DataTable
      label={label}
      items={items}
      empty={empty}
      minWidth={minWidth}
      testId={testId}
      rowAttributes={(item) => ({ 'data-testid': rowTestId(item) })}
      columns={columns}
      actions={
        canTest || canManage
          ? (item) => (
              <RowActions
                name={item.name}
                canTest={canTest}
                canManage={canManage}
                testing={testingId === item.id}
                onTest={() => onTest(item)}
                onEdit={() => onEdit(item)}
                deleteTitle={`Delete ${item.name}?`}
                deleteMessage={deleteMessage}
                onDelete={() => onDelete(item)}
              />
            )
          : undefined
      }
    />
  );
}
