import type { ReactNode } from 'react';
import { RequireSession } from '@/components/Auth/RequireSession';
import { ConsoleShell } from '@/components/Shell/ConsoleShell';

export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return (
    <RequireSession>
      <ConsoleShell>{children}</ConsoleShell>
    </RequireSession>
  );
}
