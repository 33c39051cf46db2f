'use client';

import { Card, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { PagedQuery } from '@/components/Common/PagedQuery';
import { PageHeader } from '@/components/Common/PageHeader';
import { QueryError } from '@/components/Common/QueryError';
import { InvitationsTable } from '@/components/Members/InvitationsTable';
import { InviteMemberForm } from '@/components/Members/InviteMemberForm';
import { MembersTable } from '@/components/Members/MembersTable';
import { useRevokeInvitation, useTenantInvitations } from '@/hooks/queries/invitations';
import { useChangeMemberRole, useMembers, useRemoveMember } from '@/hooks/queries/members';
import { useSignedInSession } from '@/lib/auth/SessionProvider';
import { hasRole } from '@/lib/auth/roles';

export function MembersPage() {
  const session = useSignedInSession();
  const canManage = hasRole(session.tenant.role, 'admin');
  const [page, setPage] = useState(1);
  const members = useMembers(page);
  const changeRole = useChangeMemberRole();
  const remove = useRemoveMember();
  const [invitationsPage, setInvitationsPage] = useState(1);
  const invitations = useTenantInvitations(invitationsPage, canManage);
  const revoke = useRevokeInvitation();
  const failure = changeRole.error ?? remove.error ?? revoke.error;

  return (
    <Stack gap="lg" maw={1100}>
      <PageHeader title="Members" description={`Who can use ${session.tenant.name}, and with which role.`} />
      {canManage ? <InviteMemberForm ownRole={session.tenant.role} /> : null}
      {failure ? <QueryError error={failure} title="That change was refused" /> : null}
      <Card>
        <PagedQuery query={members} page={page} onPageChange={setPage} errorTitle="Could not load the members">
          {(items) => (
            <MembersTable
              members={items}
              ownRole={session.tenant.role}
              canManage={canManage}
              currentUserId={session.user.id}
              onChangeRole={(member, role) => {
                remove.reset();
                changeRole.mutate({ path: { id: member.id }, body: { role } });
              }}
              onRemove={(member) => {
                changeRole.reset();
                return remove.mutateAsync({ path: { id: member.id } }).catch(() => undefined);
              }}
            />
          )}
        </PagedQuery>
      </Card>
      {canManage && (invitations.data?.total ?? 0) > 0 ? (
        <Card>
          <Stack gap="sm">
            <Title order={2} size="h4">
              Pending invitations
            </Title>
            <PagedQuery
              query={invitations}
              page={invitationsPage}
              onPageChange={setInvitationsPage}
              errorTitle="Could not load the invitations"
            >
              {(items) => (
                <InvitationsTable
                  invitations={items}
                  ownRole={session.tenant.role}
                  onRevoke={(invitation) => revoke.mutateAsync({ path: { id: invitation.id } }).catch(() => undefined)}
                />
              )}
            </PagedQuery>
          </Stack>
        </Card>
      ) : null}
    </Stack>
  );
}
