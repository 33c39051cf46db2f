import { Role } from '../../generated/prisma/enums';

export { Role };

/** owner > admin > operator > viewer: a role may do everything the ones below it may. */
export const ROLES_BY_RANK: Role[] = [Role.viewer, Role.operator, Role.admin, Role.owner];

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES_BY_RANK.indexOf(role) >= ROLES_BY_RANK.indexOf(minimum);
}
