import {
  acceptInvitationMutation,
  declineInvitationMutation,
  listInvitationsOptions,
  listMyInvitationsOptions,
  revokeInvitationMutation,
} from '@dumpstation/api-client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { PAGE_SIZE, invalidateOperation } from './keys';

/** Invitations to other tenants addressed to the signed-in user. */
export function useMyInvitations() {
  // Someone may invite you while the console is open: look again now and then.
  return useQuery({ ...listMyInvitationsOptions(), staleTime: 30_000, refetchInterval: 60_000 });
}

export function useAcceptInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    ...acceptInvitationMutation(),
    onSettled: () =>
      Promise.all([
        invalidateOperation(queryClient, 'listMyInvitations'),
        invalidateOperation(queryClient, 'listMyTenants'),
      ]),
  });
}

export function useDeclineInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    ...declineInvitationMutation(),
    onSettled: () => invalidateOperation(queryClient, 'listMyInvitations'),
  });
}

/** The current tenant's pending invitations (admins). */
export function useTenantInvitations(page: number, enabled: boolean) {
  return useQuery({
    ...listInvitationsOptions({ query: { page, limit: PAGE_SIZE } }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useRevokeInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    ...revokeInvitationMutation(),
    onSettled: () => invalidateOperation(queryClient, 'listInvitations'),
  });
}
