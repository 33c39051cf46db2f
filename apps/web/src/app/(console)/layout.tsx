import type { ReactNode } from 'react';
import { RequireSession } from '@/components/Auth/RequireSession';
import { JobToasts } from '@/components/Backups/JobToasts';
import { ToastHost } from '@/components/Common/Toasts';
import { ConsoleShell } from '@/components/Shell/ConsoleShell';

export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return (
    <RequireSession>
      <ConsoleShell>{children}</ConsoleShell>
      <JobToasts />
      <ToastHost />
    </RequireSession>
  );
}
