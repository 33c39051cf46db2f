import {
  createDatabaseMutation,
  deleteDatabaseMutation,
  getDatabaseOptions,
  listDatabasesOptions,
  testDatabaseMutation,
  updateDatabaseMutation,
} from '@dumpstation/api-client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { PAGE_SIZE, invalidateOperation } from './keys';

export function useDatabases(page: number) {
  return useQuery({
    ...listDatabasesOptions({ query: { page, limit: PAGE_SIZE } }),
    placeholderData: keepPreviousData,
  });
}

export function useDatabase(id: string) {
  return useQuery(getDatabaseOptions({ path: { id } }));
}

function useInvalidateDatabases() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([invalidateOperation(queryClient, 'listDatabases'), invalidateOperation(queryClient, 'getDatabase')]);
}

export function useCreateDatabase() {
  const invalidate = useInvalidateDatabases();
  return useMutation({ ...createDatabaseMutation(), onSuccess: () => invalidate() });
}

export function useUpdateDatabase() {
  const invalidate = useInvalidateDatabases();
  return useMutation({ ...updateDatabaseMutation(), onSuccess: () => invalidate() });
}

export function useDeleteDatabase() {
  const queryClient = useQueryClient();
  return useMutation({
    ...deleteDatabaseMutation(),
    onSettled: () => invalidateOperation(queryClient, 'listDatabases'),
  });
}

/** Connects, and reports the server version and the pg_dump that would run; answers 200 either way. */
export function useTestDatabase() {
  return useMutation(testDatabaseMutation());
}
