import {
  createTenantMutation,
  listAllTenantsOptions,
  listMyTenantsOptions,
  updateTenantMutation,
} from '@dumpstation/api-client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { quoted, toastDone } from './feedback';
import { PAGE_SIZE, invalidateOperation } from './keys';

/** The tenants the signed-in user belongs to (the session's list may be older). */
export function useMyTenants() {
  return useQuery({ ...listMyTenantsOptions(), staleTime: 60_000 });
}

/** Every tenant of the instance (instance admins only). */
export function useAllTenants(page: number, enabled = true) {
  return useQuery({
    ...listAllTenantsOptions({ query: { page, limit: PAGE_SIZE } }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** A new tenant, owned by the instance admin who creates it (it joins their tenant switcher). */
export function useCreateTenant() {
  const queryClient = useQueryClient();
  return useMutation({
    ...createTenantMutation(),
    onSuccess: (tenant) => {
      toastDone('Tenant created', `${quoted(tenant.name, 'The tenant')} was created; you are its owner.`);
      return Promise.all([
        invalidateOperation(queryClient, 'listAllTenants'),
        invalidateOperation(queryClient, 'listMyTenants'),
      ]);
    },
  });
}

/** Renames a tenant (name, slug or both). */
export function useRenameTenant() {
  const queryClient = useQueryClient();
  return useMutation({
    ...updateTenantMutation(),
    onSuccess: (tenant) => {
      toastDone('Tenant renamed', `The tenant is now ${quoted(tenant.name, 'renamed')} (${tenant.slug}).`);
      return Promise.all([
        invalidateOperation(queryClient, 'listAllTenants'),
        invalidateOperation(queryClient, 'listMyTenants'),
      ]);
    },
  });
}
