import {
  acceptInvitationMutation,
  declineInvitationMutation,
  listInvitationsOptions,
  listMyInvitationsOptions,
  revokeInvitationMutation,
  type InvitationDto,
} from '@dumpstation/api-client';
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { cachedName, quoted, toastDone } from './feedback';
import { PAGE_SIZE, invalidateOperation } from './keys';

/** The tenant a cached invitation of the signed-in user is to. */
function cachedInvitationTenant(queryClient: QueryClient, id: string): string | null {
  const mine = queryClient.getQueriesData<InvitationDto[] | { items?: InvitationDto[] }>({
    predicate: (query) => (query.queryKey[0] as { _id?: unknown } | undefined)?._id === 'listMyInvitations',
  });
  for (const [, data] of mine) {
    const items = Array.isArray(data) ? data : (data?.items ?? []);
    const found = items.find((invitation) => invitation.id === id);
    if (found) return found.tenant.name;
  }
  return null;
}

/** Invitations to other tenants addressed to the signed-in user. */
export function useMyInvitations() {
  // Someone may invite you while the console is open: look again now and then.
  return useQuery({ ...listMyInvitationsOptions(), staleTime: 30_000, refetchInterval: 60_000 });
}

export function useAcceptInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    ...acceptInvitationMutation(),
    onSuccess: (tenant) =>
      toastDone('Invitation accepted', `You joined ${quoted(tenant.name, 'the tenant')} as ${tenant.role}.`),
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
    onSuccess: (_, { path }) =>
      toastDone(
        'Invitation declined',
        `You declined to join ${quoted(cachedInvitationTenant(queryClient, path.id), 'the tenant')}.`,
      ),
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
    onSuccess: (_, { path }) =>
      toastDone(
        'Invitation revoked',
        `The invitation of ${quoted(cachedName(queryClient, path.id, 'listInvitations'), 'the user')} was revoked.`,
      ),
    onSettled: () => invalidateOperation(queryClient, 'listInvitations'),
  });
}
