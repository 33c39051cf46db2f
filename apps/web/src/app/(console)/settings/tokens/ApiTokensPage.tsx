'use client';

import { Card, Stack } from '@mantine/core';
import type { CreatedApiTokenDto } from '@dumpstation/api-client';
import { useState } from 'react';
import { ApiTokensTable } from '@/components/ApiTokens/ApiTokensTable';
import { CreateApiTokenForm } from '@/components/ApiTokens/CreateApiTokenForm';
import { NewTokenSecret } from '@/components/ApiTokens/NewTokenSecret';
import { PagedQuery } from '@/components/Common/PagedQuery';
import { PageHeader } from '@/components/Common/PageHeader';
import { QueryError } from '@/components/Common/QueryError';
import { RequireRole } from '@/components/Common/RequireRole';
import { useApiTokens, useRevokeApiToken } from '@/hooks/queries/api-tokens';
import { useSignedInSession } from '@/lib/auth/SessionProvider';

function ApiTokens() {
  const session = useSignedInSession();
  const [page, setPage] = useState(1);
  const [created, setCreated] = useState<CreatedApiTokenDto | null>(null);
  const tokens = useApiTokens(page);
  const revoke = useRevokeApiToken();

  return (
    <Stack gap="lg">
      {created ? <NewTokenSecret token={created} onDone={() => setCreated(null)} /> : null}
      <CreateApiTokenForm ownRole={session.tenant.role} onCreated={setCreated} />
      {revoke.isError ? <QueryError error={revoke.error} title="Could not revoke the token" /> : null}
      <Card>
        <PagedQuery query={tokens} page={page} onPageChange={setPage} errorTitle="Could not load the API tokens">
          {(items) => (
            <ApiTokensTable
              tokens={items}
              onRevoke={(token) => revoke.mutateAsync({ path: { id: token.id } }).catch(() => undefined)}
            />
          )}
        </PagedQuery>
      </Card>
    </Stack>
  );
}

export function ApiTokensPage() {
  const session = useSignedInSession();
  return (
    <Stack gap="lg" maw={1100}>
      <PageHeader
        title="API tokens"
        description={`Credentials for scripts and CI, acting in ${session.tenant.name} with the role you give them.`}
      />
      <RequireRole role="admin">
        <ApiTokens />
      </RequireRole>
    </Stack>
  );
}
