import {
  inviteMemberMutation,
  listMembersOptions,
  removeMemberMutation,
  updateMemberMutation,
} from '@dumpstation/api-client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { PAGE_SIZE, invalidateOperation } from './keys';

export function useMembers(page: number) {
  return useQuery({ ...listMembersOptions({ query: { page, limit: PAGE_SIZE } }), placeholderData: keepPreviousData });
}

export function useInviteMember() {
  const queryClient = useQueryClient();
  return useMutation({
    ...inviteMemberMutation(),
    // An invitation is not a member yet: it shows among the pending invitations.
    onSuccess: () => invalidateOperation(queryClient, 'listInvitations'),
  });
}

export function useChangeMemberRole() {
  const queryClient = useQueryClient();
  return useMutation({
    ...updateMemberMutation(),
    onSettled: () => invalidateOperation(queryClient, 'listMembers'),
  });
}

export function useRemoveMember() {
  const queryClient = useQueryClient();
  return useMutation({
    ...removeMemberMutation(),
    onSettled: () => invalidateOperation(queryClient, 'listMembers'),
  });
}
