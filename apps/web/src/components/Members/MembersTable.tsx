'use client';

import { Select, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import type { MemberDto } from '@dumpstation/api-client';
import { ConfirmButton } from '@/components/Common/ConfirmButton';
import { RoleBadge } from '@/components/Common/RoleBadge';
import { formatDate } from '@/lib/format';
import { grantableRoles, type Role } from '@/lib/auth/roles';
import { scrollRegion } from '@/components/Common/scrollRegion';

export function MembersTable({
  members,
  ownRole,
  canManage,
  currentUserId,
  onChangeRole,
  onRemove,
}: {
  members: MemberDto[];
  ownRole: Role;
  canManage: boolean;
  currentUserId: string;
  onChangeRole: (member: MemberDto, role: Role) => void;
  onRemove: (member: MemberDto) => Promise<unknown>;
}) {
  const roles = grantableRoles(ownRole);
  return (
    <Table.ScrollContainer minWidth={640} {...scrollRegion('Members')}>
      <Table verticalSpacing="sm" data-testid="members-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Member</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Since</Table.Th>
            {canManage ? (
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            ) : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {members.map((member) => {
            const name = member.user.display_name || member.user.username;
            // A role above your own can be neither given nor taken away by you.
            const editable = canManage && roles.some((r) => r.value === member.role);
            return (
              <Table.Tr key={member.id}>
                <Table.Td>
                  <Stack gap={0}>
                    <Text size="sm" fw={500}>
                      {name}
                      {member.user.id === currentUserId ? ' (you)' : ''}
                    </Text>
                    {member.user.display_name ? (
                      <Text size="xs" c="dimmed">
                        {member.user.username}
                      </Text>
                    ) : null}
                  </Stack>
                </Table.Td>
                <Table.Td>{member.user.email}</Table.Td>
                <Table.Td>
                  {editable ? (
                    <Select
                      aria-label={`Role of ${member.user.username}`}
                      size="xs"
                      w={130}
                      data={roles}
                      value={member.role}
                      allowDeselect={false}
                      onChange={(value) => value && value !== member.role && onChangeRole(member, value as Role)}
                    />
                  ) : (
                    <RoleBadge role={member.role} />
                  )}
                </Table.Td>
                <Table.Td>{formatDate(member.created_at)}</Table.Td>
                {canManage ? (
                  <Table.Td ta="right">
                    {editable ? (
                      <ConfirmButton
                        title={`Remove ${name}?`}
                        message={`${name} loses access to this tenant right away. Their account stays.`}
                        confirmLabel="Remove"
                        aria-label={`Remove ${member.user.username}`}
                        onConfirm={() => onRemove(member)}
                      >
                        Remove
                      </ConfirmButton>
                    ) : null}
                  </Table.Td>
                ) : null}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
