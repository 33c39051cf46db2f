'use client';

import { Table, Text, VisuallyHidden } from '@mantine/core';
import type { InvitationDto } from '@dumpstation/api-client';
import { ConfirmButton } from '@/components/Common/ConfirmButton';
import { RoleBadge } from '@/components/Common/RoleBadge';
import { grantableRoles, type Role } from '@/lib/auth/roles';
import { formatDate } from '@/lib/format';
import { scrollRegion } from '@/components/Common/scrollRegion';

/**
 * The tenant's pending invitations. Each shows what was typed: whether it named an account is
 * not known here (it would tell other tenants' users apart), only whether it gets accepted.
 */
export function InvitationsTable({
  invitations,
  ownRole,
  onRevoke,
}: {
  invitations: InvitationDto[];
  ownRole: Role;
  onRevoke: (invitation: InvitationDto) => Promise<unknown>;
}) {
  const roles = grantableRoles(ownRole);
  return (
    <Table.ScrollContainer minWidth={640} {...scrollRegion('Pending invitations')}>
      <Table verticalSpacing="sm" data-testid="invitations-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Username</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Invited by</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {invitations.map((invitation) => (
            <Table.Tr key={invitation.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {invitation.username}
                </Text>
              </Table.Td>
              <Table.Td>{invitation.email}</Table.Td>
              <Table.Td>
                <RoleBadge role={invitation.role} />
              </Table.Td>
              <Table.Td>{invitation.invited_by?.username ?? '—'}</Table.Td>
              <Table.Td>{formatDate(invitation.expires_at)}</Table.Td>
              <Table.Td ta="right">
                {roles.some((r) => r.value === invitation.role) ? (
                  <ConfirmButton
                    title={`Revoke the invitation of ${invitation.username}?`}
                    message="It can no longer be accepted. You can invite them again later."
                    confirmLabel="Revoke"
                    aria-label={`Revoke the invitation of ${invitation.username}`}
                    onConfirm={() => onRevoke(invitation)}
                  >
                    Revoke
                  </ConfirmButton>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
