'use client';

import { Center, Loader } from '@mantine/core';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { useSession } from '@/lib/auth/SessionProvider';
import { loginPath } from '@/lib/auth/redirects';

/** Renders the console only with a session; otherwise sends the browser to /login. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { status, endReason } = useSession();
  const router = useRouter();
  const pathname = usePathname();

  useEffect(() => {
    if (status === 'anonymous') router.replace(loginPath(pathname, endReason));
  }, [status, endReason, pathname, router]);

  if (status !== 'authenticated') {
    return (
      <Center mih="100vh">
        <Loader aria-label="Loading your session" />
      </Center>
    );
  }
  return children;
}
