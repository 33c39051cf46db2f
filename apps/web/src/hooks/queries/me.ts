import { getMeOptions, getMeQueryKey, updateMeMutation, type UserDto } from '@dumpstation/api-client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useSession } from '@/lib/auth/SessionProvider';

/** The signed-in user's profile; keeps the session's copy of the user up to date. */
export function useMe() {
  const query = useQuery(getMeOptions());
  const { updateUser } = useSession();
  useEffect(() => {
    if (query.data) updateUser(query.data);
  }, [query.data, updateUser]);
  return query;
}

export function useUpdateMe() {
  const queryClient = useQueryClient();
  const { updateUser } = useSession();
  return useMutation({
    ...updateMeMutation(),
    onSuccess: (user: UserDto) => {
      queryClient.setQueryData(getMeQueryKey(), user);
      updateUser(user);
    },
  });
}
