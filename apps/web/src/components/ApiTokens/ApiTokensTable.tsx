'use client';

import { Badge, Code, Table, Text, VisuallyHidden } from '@mantine/core';
import type { ApiTokenDto } from '@dumpstation/api-client';
import { ConfirmButton } from '@/components/Common/ConfirmButton';
import { RoleBadge } from '@/components/Common/RoleBadge';
import { formatDate, formatDateTime } from '@/lib/format';
import { scrollRegion } from '@/components/Common/scrollRegion';

function status(token: ApiTokenDto): { label: string; color: string } {
  if (token.revoked_at) return { label: 'Revoked', color: 'red' };
  if (token.expires_at && Date.parse(token.expires_at) <= Date.now()) return { label: 'Expired', color: 'orange' };
  return { label: 'Active', color: 'teal' };
}

export function ApiTokensTable({
  tokens,
  onRevoke,
}: {
  tokens: ApiTokenDto[];
  onRevoke: (token: ApiTokenDto) => Promise<unknown>;
}) {
  if (tokens.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        No API tokens yet.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={760} {...scrollRegion('API tokens')}>
      <Table verticalSpacing="sm" data-testid="api-tokens-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Token</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((token) => {
            const state = status(token);
            return (
              <Table.Tr key={token.id}>
                <Table.Td fw={500}>{token.name}</Table.Td>
                <Table.Td>
                  <Code>{token.prefix}…</Code>
                </Table.Td>
                <Table.Td>
                  <RoleBadge role={token.role} />
                </Table.Td>
                <Table.Td>
                  <Badge variant="dot" color={state.color}>
                    {state.label}
                  </Badge>
                </Table.Td>
                <Table.Td>{formatDate(token.created_at)}</Table.Td>
                <Table.Td>{formatDate(token.expires_at, 'Never')}</Table.Td>
                <Table.Td>{formatDateTime(token.last_used_at, 'Never')}</Table.Td>
                <Table.Td ta="right">
                  {token.revoked_at ? null : (
                    <ConfirmButton
                      title="Revoke this token?"
                      message={`Scripts using “${token.name}” stop working immediately. This cannot be undone.`}
                      confirmLabel="Revoke"
                      aria-label={`Revoke ${token.name}`}
                      onConfirm={() => onRevoke(token)}
                    >
                      Revoke
                    </ConfirmButton>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
