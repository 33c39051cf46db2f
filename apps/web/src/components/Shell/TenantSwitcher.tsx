'use client';

import { Select } from '@mantine/core';
import { IconBuilding } from '@tabler/icons-react';
import { useState } from 'react';
import { useMyTenants } from '@/hooks/queries/tenants';
import { errorMessage } from '@/lib/api/errors';
import { useSignedInSession, useSession } from '@/lib/auth/SessionProvider';

/**
 * Picks the tenant the console acts in; switching opens a session there and refetches everything.
 * In the header from the `xs` breakpoint up; on a phone, where the header has no room, at the top
 * of the navigation drawer instead (`placement="navigation"`).
 */
export function TenantSwitcher({
  placement = 'header',
  onSwitched,
}: {
  placement?: 'header' | 'navigation';
  onSwitched?: () => void;
} = {}) {
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
      onSwitched?.();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setPending(false);
    }
  }

  const phone = placement === 'navigation';
  return (
    <Select
      {...(phone ? { label: 'Tenant', hiddenFrom: 'xs' } : { 'aria-label': 'Tenant', visibleFrom: 'xs', w: 200 })}
      data-testid={phone ? 'tenant-switcher-phone' : 'tenant-switcher'}
      leftSection={<IconBuilding size={16} stroke={1.6} />}
      data={tenants.map((tenant) => ({ value: tenant.id, label: tenant.name }))}
      value={session.tenant.id}
      onChange={(value) => void onChange(value)}
      allowDeselect={false}
      disabled={pending}
      error={error}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
