'use client';

import { Alert } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useSignedInSession } from '@/lib/auth/SessionProvider';
import { ROLE_LABELS, hasRole, type Role } from '@/lib/auth/roles';

/** Renders `children` only for members with at least `role` in the current tenant. */
export function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const session = useSignedInSession();
  if (hasRole(session.tenant.role, role)) return children;
  return (
    <Alert color="gray" variant="light" icon={<IconLock />} title="Not available with your role">
      This needs the {ROLE_LABELS[role]} role or higher in {session.tenant.name}; yours is{' '}
      {ROLE_LABELS[session.tenant.role]}.
    </Alert>
  );
}
