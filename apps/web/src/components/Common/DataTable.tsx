'use client';

import { Table, Text, VisuallyHidden, type TableTdProps } from '@mantine/core';
import { isValidElement, type ReactNode } from 'react';
import classes from './DataTable.module.css';
import { scrollRegion } from './scrollRegion';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

/** Cell props that keep a column's cells on one line. */
export const NOWRAP_CELL: TableTdProps = { style: NOWRAP };

/** One column of a DataTable. */
export interface DataColumn<T> {
  header: ReactNode;
  cell: (item: T) => ReactNode;
  /** Keeps the header on one line. */
  nowrapHeader?: boolean;
  /** Props for each cell of the column (e.g. `{ fw: 500 }`, or NOWRAP_CELL). */
  td?: TableTdProps;
  /** The header in words where it is not text (an icon): each cell's label on a phone. */
  label?: string;
}

/** What a column is called beside each of its cells on a phone: its text header, or an icon's aria-label. */
function labelOf<T>(column: DataColumn<T>): string | undefined {
  if (column.label) return column.label;
  if (typeof column.header === 'string') return column.header;
  if (isValidElement<{ 'aria-label'?: string }>(column.header)) return column.header.props['aria-label'];
  return undefined;
}

/**
 * A table with one row per item (`empty` in words when there are none), scrolling sideways
 * below `minWidth`, with an optional last column of buttons per row; on a phone each row is a
 * block of labelled lines instead (DataTable.module.css), so nothing hides off screen.
 */
export function DataTable<T extends { id: string }>({
  label,
  items,
  empty,
  minWidth,
  testId,
  rowAttributes,
  columns,
  actions,
}: {
  /** What the table lists, naming its scrolling region (e.g. "Backup history"). */
  label: string;
  items: T[];
  /** Shown instead of the table when there are no items. */
  empty: string;
  minWidth: number;
  testId: string;
  /** data-* attributes for each row (e.g. its test id). */
  rowAttributes: (item: T) => Record<`data-${string}`, string>;
  columns: DataColumn<T>[];
  /** The buttons at the end of each row; no such column when omitted. */
  actions?: (item: T) => ReactNode;
}) {
  if (items.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {empty}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={minWidth} className={classes.container} {...scrollRegion(label)}>
      <Table verticalSpacing="sm" data-testid={testId} className={classes.stacked}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column, index) => (
              <Table.Th key={index} style={column.nowrapHeader ? NOWRAP : undefined}>
                {column.header}
              </Table.Th>
            ))}
            {actions ? (
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            ) : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.id} {...rowAttributes(item)}>
              {columns.map((column, index) => (
                <Table.Td key={index} data-label={labelOf(column)} {...column.td}>
                  {column.cell(item)}
                </Table.Td>
              ))}
              {actions ? <Table.Td>{actions(item)}</Table.Td> : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
