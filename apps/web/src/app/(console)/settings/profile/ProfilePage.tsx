'use client';

import { Skeleton, Stack } from '@mantine/core';
import { PageHeader } from '@/components/Common/PageHeader';
import { QueryError } from '@/components/Common/QueryError';
import { ProfileForm } from '@/components/Settings/ProfileForm';
import { useMe } from '@/hooks/queries/me';

export function ProfilePage() {
  const me = useMe();
  return (
    <Stack gap="lg" maw={760}>
      <PageHeader title="Profile" description="Your name, and where your sign-in codes reach you." />
      {me.data ? (
        <ProfileForm key={me.data.id} user={me.data} />
      ) : me.isError ? (
        <QueryError error={me.error} title="Could not load your profile" />
      ) : (
        <Skeleton height={320} />
      )}
    </Stack>
  );
}
