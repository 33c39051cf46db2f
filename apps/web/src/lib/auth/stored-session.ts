import type { SessionDto, TenantSummaryDto, UserDto } from '@dumpstation/api-client';

export const SESSION_STORAGE_KEY = 'dumpstation.session';

/** What the console keeps of a session (in localStorage, so every tab shares it). */
export interface StoredSession {
  accessToken: string;
  /** Single use: every refresh returns a new one. */
  refreshToken: string;
  /** When the access token expires, in epoch milliseconds. */
  accessExpiresAt: number;
  /** How long access tokens of this session live, in milliseconds. */
  accessLifetimeMs: number;
  refreshExpiresAt: string;
  user: UserDto;
  tenant: TenantSummaryDto;
  tenants: TenantSummaryDto[];
}

export function fromSessionDto(dto: SessionDto, now: number = Date.now()): StoredSession {
  const lifetime = Math.max(0, dto.expires_in) * 1000;
  return {
    accessToken: dto.access_token,
    refreshToken: dto.refresh_token,
    accessExpiresAt: now + lifetime,
    accessLifetimeMs: lifetime,
    refreshExpiresAt: dto.refresh_expires_at,
    user: dto.user,
    tenant: dto.tenant,
    tenants: dto.tenants,
  };
}

function isStoredSession(value: unknown): value is StoredSession {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<StoredSession>;
  return (
    typeof s.accessToken === 'string' &&
    typeof s.refreshToken === 'string' &&
    typeof s.accessExpiresAt === 'number' &&
    typeof s.accessLifetimeMs === 'number' &&
    typeof s.refreshExpiresAt === 'string' &&
    typeof s.user === 'object' &&
    s.user !== null &&
    typeof s.tenant === 'object' &&
    s.tenant !== null &&
    Array.isArray(s.tenants)
  );
}

/** The session saved in this browser, if any (and not past its refresh token's expiry). */
export function readStoredSession(): StoredSession | null {
  try {
    const raw = window.localStorage.getItem(SESSION_STORAGE_KEY);
    if (!raw) return null;
    const parsed: unknown = JSON.parse(raw);
    if (!isStoredSession(parsed)) return null;
    if (Date.parse(parsed.refreshExpiresAt) <= Date.now()) return null;
    return parsed;
  } catch {
    return null;
  }
}

export function writeStoredSession(session: StoredSession | null): void {
  try {
    if (session) window.localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    else window.localStorage.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // Storage full or disabled: the session still lives in memory for this tab.
  }
}
