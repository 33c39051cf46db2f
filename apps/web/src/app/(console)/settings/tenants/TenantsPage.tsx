'use client';

import { Alert, Badge, Button, Card, Modal, Stack, Text, Title } from '@mantine/core';
import type { TenantDto } from '@dumpstation/api-client';
import { IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import { DataTable, NOWRAP_CELL } from '@/components/Common/DataTable';
import { PagedQuery } from '@/components/Common/PagedQuery';
import { PageHeader } from '@/components/Common/PageHeader';
import { TenantForm } from '@/components/Tenants/TenantForm';
import { useAllTenants } from '@/hooks/queries/tenants';
import { useSignedInSession } from '@/lib/auth/SessionProvider';
import { formatDateTime } from '@/lib/format';

function Tenants() {
  const session = useSignedInSession();
  const [page, setPage] = useState(1);
  const tenants = useAllTenants(page);
  const [renaming, setRenaming] = useState<TenantDto | null>(null);

  return (
    <Stack gap="lg">
      <Card>
        <Stack>
          <Title order={2} size="h4">
            New tenant
          </Title>
          <Text size="sm" c="dimmed">
            A separate space with its own databases, storage, members and activity. You become its owner and can invite
            others there.
          </Text>
          <TenantForm />
        </Stack>
      </Card>
      <Card>
        <PagedQuery query={tenants} page={page} onPageChange={setPage} errorTitle="Could not load the tenants">
          {(items) => (
            <DataTable
              label="Tenants"
              items={items}
              empty="No tenants."
              minWidth={560}
              testId="tenants-table"
              rowAttributes={(tenant) => ({ 'data-testid': 'tenant-row', 'data-slug': tenant.slug })}
              columns={[
                {
                  header: 'Name',
                  cell: (tenant) => (
                    <>
                      {tenant.name}
                      {tenant.id === session.tenant.id ? (
                        <Badge ml="xs" size="sm" variant="light">
                          current
                        </Badge>
                      ) : null}
                    </>
                  ),
                  td: { fw: 500 },
                },
                {
                  header: 'Slug',
                  cell: (tenant) => (
                    <Text ff="monospace" size="sm">
                      {tenant.slug}
                    </Text>
                  ),
                },
                { header: 'Created', cell: (tenant) => formatDateTime(tenant.created_at), td: NOWRAP_CELL },
              ]}
              actions={(tenant) => (
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => setRenaming(tenant)}
                  aria-label={`Rename ${tenant.name}`}
                >
                  Rename
                </Button>
              )}
            />
          )}
        </PagedQuery>
      </Card>
      <Modal opened={renaming !== null} onClose={() => setRenaming(null)} title={`Rename ${renaming?.name ?? ''}`}>
        {renaming ? <TenantForm key={renaming.id} tenant={renaming} onDone={() => setRenaming(null)} /> : null}
      </Modal>
    </Stack>
  );
}

export function TenantsPage() {
  const session = useSignedInSession();
  return (
    <Stack gap="lg" maw={1100}>
      <PageHeader title="Tenants" description="Every tenant of this instance: create one, or rename it." />
      {session.user.is_instance_admin ? (
        <Tenants />
      ) : (
        <Alert color="gray" variant="light" icon={<IconLock />} title="Only for instance admins">
          Tenants are created and renamed by the instance admin.
        </Alert>
      )}
    </Stack>
  );
}
