import type { TenantSummaryDto } from '@dumpstation/api-client';

export type Role = TenantSummaryDto['role'];

/** Lowest first. */
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin', 'owner'];

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  operator: 'Operator',
  viewer: 'Viewer',
};

export function hasRole(role: Role, atLeast: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(atLeast);
}

/** Roles someone with `own` may give (never above their own), highest first, for a Select. */
export function grantableRoles(own: Role): { value: Role; label: string }[] {
  return ROLES.filter((role) => hasRole(own, role))
    .reverse()
    .map((role) => ({ value: role, label: ROLE_LABELS[role] }));
}
