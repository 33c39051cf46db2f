import {
  createDatabaseMutation,
  deleteDatabaseMutation,
  getDatabaseOptions,
  listDatabasesOptions,
  testDatabaseMutation,
  testUnsavedDatabaseMutation,
  updateDatabaseMutation,
} from '@dumpstation/api-client';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { PAGE_SIZE, useInvalidateOperations } from './keys';

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
  return useInvalidateOperations('listDatabases', 'getDatabase');
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
  const invalidate = useInvalidateOperations('listDatabases');
  return useMutation({
    ...deleteDatabaseMutation(),
    onSettled: () => invalidate(),
  });
}

/** Connects, and reports the server version and the pg_dump that would run; answers 200 either way. */
export function useTestDatabase() {
  return useMutation(testDatabaseMutation());
}

/** The same test for settings not saved yet (a form's Test before saving); nothing is saved. */
export function useTestUnsavedDatabase() {
  return useMutation(testUnsavedDatabaseMutation());
}
