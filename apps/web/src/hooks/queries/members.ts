import {
  inviteMemberMutation,
  listMembersOptions,
  removeMemberMutation,
  updateMemberMutation,
} from '@dumpstation/api-client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { cachedName, quoted, toastDone } from './feedback';
import { PAGE_SIZE, invalidateOperation } from './keys';

export function useMembers(page: number) {
  return useQuery({ ...listMembersOptions({ query: { page, limit: PAGE_SIZE } }), placeholderData: keepPreviousData });
}

export function useInviteMember() {
  const queryClient = useQueryClient();
  return useMutation({
    ...inviteMemberMutation(),
    // An invitation is not a member yet: it shows among the pending invitations.
    onSuccess: (invitation) => {
      toastDone('Invitation sent', `${quoted(invitation.username, 'The user')} is invited as ${invitation.role}.`);
      return invalidateOperation(queryClient, 'listInvitations');
    },
  });
}

export function useChangeMemberRole() {
  const queryClient = useQueryClient();
  return useMutation({
    ...updateMemberMutation(),
    onSuccess: (member) =>
      toastDone('Role changed', `${quoted(member.user.username, 'The member')} is now ${member.role}.`),
    onSettled: () => invalidateOperation(queryClient, 'listMembers'),
  });
}

export function useRemoveMember() {
  const queryClient = useQueryClient();
  return useMutation({
    ...removeMemberMutation(),
    onSuccess: (_, { path }) =>
      toastDone(
        'Member removed',
        `${quoted(cachedName(queryClient, path.id, 'listMembers'), 'The member')} is no longer a member.`,
      ),
    onSettled: () => invalidateOperation(queryClient, 'listMembers'),
  });
}
