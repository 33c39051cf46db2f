import { createApiTokenMutation, listApiTokensOptions, revokeApiTokenMutation } from '@dumpstation/api-client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { PAGE_SIZE, invalidateOperation } from './keys';

export function useApiTokens(page: number, enabled = true) {
  return useQuery({
    ...listApiTokensOptions({ query: { page, limit: PAGE_SIZE } }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** Creates a token; its secret is in the answer, once. */
export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    ...createApiTokenMutation(),
    onSuccess: () => invalidateOperation(queryClient, 'listApiTokens'),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    ...revokeApiTokenMutation(),
    onSettled: () => invalidateOperation(queryClient, 'listApiTokens'),
  });
}
