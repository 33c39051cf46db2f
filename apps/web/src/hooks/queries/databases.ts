import {
  createDatabaseMutation,
  deleteDatabaseMutation,
  getDatabaseOptions,
  listDatabasesOptions,
  testDatabaseMutation,
  testUnsavedDatabaseMutation,
  updateDatabaseMutation,
} from '@dumpstation/api-client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { cachedName, quoted, toastDone } from './feedback';
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
  return useInvalidateOperations('listDatabases', 'getDatabase', 'getStats');
}

export function useCreateDatabase() {
  const invalidate = useInvalidateDatabases();
  return useMutation({
    ...createDatabaseMutation(),
    onSuccess: (saved) => {
      toastDone('Database saved', `${quoted(saved.name, 'The database')} was added.`);
      return invalidate();
    },
  });
}

export function useUpdateDatabase() {
  const invalidate = useInvalidateDatabases();
  return useMutation({
    ...updateDatabaseMutation(),
    onSuccess: (saved) => {
      toastDone('Database saved', `Changes to ${quoted(saved.name, 'the database')} were saved.`);
      return invalidate();
    },
  });
}

export function useDeleteDatabase() {
  const invalidate = useInvalidateOperations('listDatabases', 'getStats');
  const queryClient = useQueryClient();
  return useMutation({
    ...deleteDatabaseMutation(),
    onSuccess: (_, { path }) =>
      toastDone(
        'Database deleted',
        `${quoted(cachedName(queryClient, path.id, 'listDatabases', 'getDatabase'), 'The database')} and its backups were deleted.`,
      ),
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
