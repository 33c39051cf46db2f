import { createApiTokenMutation, listApiTokensOptions, revokeApiTokenMutation } from '@dumpstation/api-client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { cachedName, quoted, toastDone } from './feedback';
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
    onSuccess: (token) => {
      toastDone('API token created', `${quoted(token.name, 'The token')} was created: copy its secret now.`);
      return invalidateOperation(queryClient, 'listApiTokens');
    },
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    ...revokeApiTokenMutation(),
    onSuccess: (_, { path }) =>
      toastDone(
        'API token revoked',
        `${quoted(cachedName(queryClient, path.id, 'listApiTokens'), 'The token')} was revoked: it no longer works.`,
      ),
    onSettled: () => invalidateOperation(queryClient, 'listApiTokens'),
  });
}
