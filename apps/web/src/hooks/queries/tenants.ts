import { listMyTenantsOptions } from '@dumpstation/api-client';
import { useQuery } from '@tanstack/react-query';

/** The tenants the signed-in user belongs to (the session's list may be older). */
export function useMyTenants() {
  return useQuery({ ...listMyTenantsOptions(), staleTime: 60_000 });
}
