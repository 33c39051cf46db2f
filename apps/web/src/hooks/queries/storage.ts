import {
  createStorageMutation,
  deleteStorageMutation,
  getStorageOptions,
  listStorageOptions,
  testStorageMutation,
  testUnsavedStorageMutation,
  updateStorageMutation,
} from '@dumpstation/api-client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { cachedName, quoted, toastDone } from './feedback';
import { MAX_PAGE_SIZE, PAGE_SIZE, useInvalidateOperations } from './keys';

export function useStorages(page: number) {
  return useQuery({ ...listStorageOptions({ query: { page, limit: PAGE_SIZE } }), placeholderData: keepPreviousData });
}

/** Every storage of the tenant (up to the API's largest page), for pickers and name look-ups. */
export function useStorageChoices() {
  return useQuery(listStorageOptions({ query: { page: 1, limit: MAX_PAGE_SIZE } }));
}

export function useStorage(id: string | null | undefined) {
  return useQuery({ ...getStorageOptions({ path: { id: id ?? '' } }), enabled: Boolean(id) });
}

function useInvalidateStorage() {
  // The stats hold each storage's usage (the storage list shows it).
  return useInvalidateOperations('listStorage', 'getStorage', 'getStats');
}

export function useCreateStorage() {
  const invalidate = useInvalidateStorage();
  return useMutation({
    ...createStorageMutation(),
    onSuccess: (saved) => {
      toastDone('Storage saved', `${quoted(saved.name, 'The storage')} was added.`);
      return invalidate();
    },
  });
}

export function useUpdateStorage() {
  const invalidate = useInvalidateStorage();
  return useMutation({
    ...updateStorageMutation(),
    onSuccess: (saved) => {
      toastDone('Storage saved', `Changes to ${quoted(saved.name, 'the storage')} were saved.`);
      return invalidate();
    },
  });
}

export function useDeleteStorage() {
  const queryClient = useQueryClient();
  const invalidate = useInvalidateStorage();
  return useMutation({
    ...deleteStorageMutation(),
    onSuccess: (_, { path }) =>
      toastDone(
        'Storage deleted',
        `${quoted(cachedName(queryClient, path.id, 'listStorage', 'getStorage'), 'The storage')} was deleted.`,
      ),
    onSettled: () => invalidate(),
  });
}

/** Writes, reads back and deletes a probe object; answers `{ ok, message }` either way. */
export function useTestStorage() {
  return useMutation(testStorageMutation());
}

/** The same test for settings not saved yet (a form's Test before saving); nothing is saved. */
export function useTestUnsavedStorage() {
  return useMutation(testUnsavedStorageMutation());
}
