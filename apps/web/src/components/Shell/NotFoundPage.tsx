'use client';

import { Anchor, Stack, Text } from '@mantine/core';
import Link from 'next/link';
import { RequireSession } from '@/components/Auth/RequireSession';
import { PageHeader } from '@/components/Common/PageHeader';
import { ConsoleShell } from './ConsoleShell';

/** Any address the console has no page for: inside the shell, with a way on. */
export function NotFoundPage() {
  return (
    <RequireSession>
      <ConsoleShell>
        <Stack gap="lg" maw={1200}>
          <PageHeader title="Page not found" description="There is no page at this address in the console." />
          <Text>It may have moved, or the link was mistyped: the navigation lists every page.</Text>
          <Anchor component={Link} href="/" style={{ alignSelf: 'flex-start' }}>
            Go to the overview
          </Anchor>
        </Stack>
      </ConsoleShell>
    </RequireSession>
  );
}
