'use client';

import { Skeleton, Stack } from '@mantine/core';
import { PageHeader } from '@/components/Common/PageHeader';
import { QueryError } from '@/components/Common/QueryError';
import { TwoFactorCard } from '@/components/Security/TwoFactorCard';
import { useMe } from '@/hooks/queries/me';

export function SecurityPage() {
  const me = useMe();
  return (
    <Stack gap="lg" maw={760}>
      <PageHeader title="Security" description="How you prove it is you when you sign in." />
      {me.data ? (
        <TwoFactorCard user={me.data} />
      ) : me.isError ? (
        <QueryError error={me.error} title="Could not load your account" />
      ) : (
        <Skeleton height={160} />
      )}
    </Stack>
  );
}
