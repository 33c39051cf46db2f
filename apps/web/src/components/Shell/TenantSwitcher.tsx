'use client';

import { Select } from '@mantine/core';
import { IconBuilding } from '@tabler/icons-react';
import { useState } from 'react';
import { useMyTenants } from '@/hooks/queries/tenants';
import { errorMessage } from '@/lib/api/errors';
import { useSignedInSession, useSession } from '@/lib/auth/SessionProvider';

/** Picks the tenant the console acts in; switching opens a session there and refetches everything. */
export function TenantSwitcher() {
  const session = useSignedInSession();
  const { switchTenant } = useSession();
  const tenants = useMyTenants().data ?? session.tenants;
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  async function onChange(tenantId: string | null) {
    if (!tenantId || tenantId === session.tenant.id) return;
    setPending(true);
    setError(undefined);
    try {
      await switchTenant(tenantId);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setPending(false);
    }
  }

  return (
    <Select
      aria-label="Tenant"
      data-testid="tenant-switcher"
      w={200}
      leftSection={<IconBuilding size={16} stroke={1.6} />}
      data={tenants.map((tenant) => ({ value: tenant.id, label: tenant.name }))}
      value={session.tenant.id}
      onChange={(value) => void onChange(value)}
      allowDeselect={false}
      disabled={pending}
      error={error}
      comboboxProps={{ withinPortal: true }}
      visibleFrom="xs"
    />
  );
}
