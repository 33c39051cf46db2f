import { Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export interface Fact {
  label: string;
  value: ReactNode;
  testId?: string;
}

/** Label/value rows for a settings summary. */
export function FactList({ facts }: { facts: Fact[] }) {
  return (
    <Table withRowBorders={false} verticalSpacing={6} horizontalSpacing={0}>
      <Table.Tbody>
        {facts.map((fact) => (
          <Table.Tr key={fact.label}>
            <Table.Th w="40%" fw={500} style={{ verticalAlign: 'top' }}>
              <Text size="sm" c="dimmed">
                {fact.label}
              </Text>
            </Table.Th>
            <Table.Td data-testid={fact.testId} style={{ wordBreak: 'break-word' }}>
              {typeof fact.value === 'string' ? <Text size="sm">{fact.value}</Text> : fact.value}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
