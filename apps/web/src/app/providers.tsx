'use client';

import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { setUpApiClient } from '@/lib/api/client';
import { SessionProvider } from '@/lib/auth/SessionProvider';
import { getQueryClient } from '@/lib/query-client';
import { cssVariablesResolver, theme } from '@/theme';

setUpApiClient();

export function Providers({ children }: { children: ReactNode }) {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto">
      <QueryClientProvider client={getQueryClient()}>
        <SessionProvider>{children}</SessionProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
