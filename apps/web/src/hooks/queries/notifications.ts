import {
  createNotificationMutation,
  deleteNotificationMutation,
  getNotificationOptions,
  listNotificationsOptions,
  testNotificationMutation,
  testUnsavedNotificationMutation,
  updateNotificationMutation,
} from '@dumpstation/api-client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { cachedName, quoted, toastDone } from './feedback';
import { MAX_PAGE_SIZE, PAGE_SIZE, useInvalidateOperations } from './keys';

export function useNotifications(page: number) {
  return useQuery({
    ...listNotificationsOptions({ query: { page, limit: PAGE_SIZE } }),
    placeholderData: keepPreviousData,
  });
}

/** Every notification webhook of the tenant (up to the API's largest page), for pickers and name look-ups. */
export function useNotificationChoices() {
  return useQuery(listNotificationsOptions({ query: { page: 1, limit: MAX_PAGE_SIZE } }));
}

export function useNotification(id: string | null | undefined) {
  return useQuery({ ...getNotificationOptions({ path: { id: id ?? '' } }), enabled: Boolean(id) });
}

function useInvalidateNotifications() {
  return useInvalidateOperations('listNotifications', 'getNotification');
}

export function useCreateNotification() {
  const invalidate = useInvalidateNotifications();
  return useMutation({
    ...createNotificationMutation(),
    onSuccess: (saved) => {
      toastDone('Notification saved', `${quoted(saved.name, 'The notification')} was added.`);
      return invalidate();
    },
  });
}

export function useUpdateNotification() {
  const invalidate = useInvalidateNotifications();
  return useMutation({
    ...updateNotificationMutation(),
    onSuccess: (saved) => {
      toastDone('Notification saved', `Changes to ${quoted(saved.name, 'the notification')} were saved.`);
      return invalidate();
    },
  });
}

export function useDeleteNotification() {
  // Databases that used it no longer point at it.
  const invalidate = useInvalidateOperations('listNotifications', 'getNotification', 'getDatabase');
  const queryClient = useQueryClient();
  return useMutation({
    ...deleteNotificationMutation(),
    onSuccess: (_, { path }) =>
      toastDone(
        'Notification deleted',
        `${quoted(cachedName(queryClient, path.id, 'listNotifications', 'getNotification'), 'The notification')} was deleted.`,
      ),
    onSettled: () => invalidate(),
  });
}

/** Posts a test message to the webhook; answers `{ ok, message }` either way. */
export function useTestNotification() {
  return useMutation(testNotificationMutation());
}

/** The same test for settings not saved yet (a form's Test before saving); nothing is saved. */
export function useTestUnsavedNotification() {
  return useMutation(testUnsavedNotificationMutation());
}
