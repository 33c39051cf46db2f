/**
 * The one normalized form of a username or email: what is stored and what lookups compare by
 * equality (never as a LIKE pattern), so `a_owne_` is not `a_owner` and `Alice` is `alice`.
 */
export function normalizeIdentity(value: string): string {
  return value.normalize('NFC').trim().toLowerCase();
}
