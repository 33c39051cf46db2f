import { useQueryClient, type QueryClient } from '@tanstack/react-query';

/**
 * Invalidates every cached query of one generated operation (e.g. 'listMembers'), whatever its
 * parameters: the generated query keys are `[{ _id: operationId, ...parameters }]`.
 */
export function invalidateOperation(queryClient: QueryClient, operationId: string): Promise<void> {
  return queryClient.invalidateQueries({
    predicate: (query) => (query.queryKey[0] as { _id?: unknown } | undefined)?._id === operationId,
  });
}

/** Invalidates every cached query of these generated operations, e.g. a resource's list and detail. */
export function useInvalidateOperations(...operationIds: string[]): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => Promise.all(operationIds.map((id) => invalidateOperation(queryClient, id))).then(() => undefined);
}

export const PAGE_SIZE = 20;

/** The largest page the API serves (for pickers that list everything). */
export const MAX_PAGE_SIZE = 100;
