import { refresh, type SessionDto, type UserDto } from '@dumpstation/api-client';
import {
  SESSION_STORAGE_KEY,
  fromSessionDto,
  readStoredSession,
  writeStoredSession,
  type StoredSession,
} from './stored-session';

/** An access token with less validity left than this is refreshed before it is sent. */
const MIN_VALIDITY_MS = 15_000;
/** Refresh ahead of expiry by this much (capped at a quarter of the token's lifetime). */
const REFRESH_AHEAD_MS = 60_000;
/** Serialises refreshes across tabs: a refresh token works once. */
const REFRESH_LOCK = 'dumpstation.session.refresh';

/** Why the session ended, so the sign-in page can say so. */
export type SessionEndReason = 'signed-out' | 'expired';

type Listener = () => void;

const listeners = new Set<Listener>();
/** `undefined` until read from localStorage (never on the server). */
let current: StoredSession | null | undefined;
let endReason: SessionEndReason | null = null;
let inFlight: Promise<StoredSession | null> | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let watchingStorage = false;

const isBrowser = () => typeof window !== 'undefined';

function emit(): void {
  for (const listener of listeners) listener();
}

function scheduleRefresh(): void {
  if (!isBrowser()) return;
  clearTimeout(refreshTimer);
  refreshTimer = undefined;
  if (!current) return;
  const ahead = Math.min(REFRESH_AHEAD_MS, current.accessLifetimeMs / 4);
  const delay = Math.max(0, current.accessExpiresAt - ahead - Date.now());
  refreshTimer = setTimeout(() => void refreshSession(), delay);
}

/** Another tab signed in, refreshed or signed out: follow it. */
function onStorage(event: StorageEvent): void {
  if (event.key !== SESSION_STORAGE_KEY && event.key !== null) return;
  const next = readStoredSession();
  if (!next && current) endReason = 'signed-out';
  current = next;
  scheduleRefresh();
  emit();
}

/** The current session; `null` when signed out (and always on the server). */
export function getSession(): StoredSession | null {
  if (!isBrowser()) return null;
  if (current === undefined) {
    current = readStoredSession();
    scheduleRefresh();
  }
  return current;
}

export function subscribe(listener: Listener): () => void {
  if (isBrowser() && !watchingStorage) {
    window.addEventListener('storage', onStorage);
    watchingStorage = true;
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getEndReason(): SessionEndReason | null {
  return endReason;
}

function setSession(next: StoredSession | null, reason: SessionEndReason | null = null): void {
  current = next;
  endReason = next ? null : reason;
  writeStoredSession(next);
  scheduleRefresh();
  emit();
}

/** Keeps a session answered by verify, refresh or switch-tenant. */
export function saveSession(dto: SessionDto): StoredSession {
  const next = fromSessionDto(dto);
  setSession(next);
  return next;
}

export function clearSession(reason: SessionEndReason): void {
  setSession(null, reason);
}

/** Updates the signed-in user (after a profile or 2FA change). */
export function updateSessionUser(user: UserDto): void {
  const session = getSession();
  if (!session || JSON.stringify(session.user) === JSON.stringify(user)) return;
  setSession({ ...session, user });
}

function usable(session: StoredSession | null): session is StoredSession {
  return session !== null && session.accessExpiresAt - Date.now() > MIN_VALIDITY_MS;
}

async function exchange(): Promise<StoredSession | null> {
  let session = getSession();
  if (!session) return null;
  // Another tab may have rotated the refresh token while this one waited for the lock.
  const stored = readStoredSession();
  if (stored && stored.refreshToken !== session.refreshToken) {
    current = stored;
    scheduleRefresh();
    emit();
    if (usable(stored)) return stored;
    session = stored;
  }
  let answer: Awaited<ReturnType<typeof refresh>>;
  try {
    answer = await refresh({ body: { refresh_token: session.refreshToken } });
  } catch {
    return session; // network trouble: keep the session, the request fails on its own
  }
  // Signed out or switched tenant meanwhile: leave the newer state alone.
  if (current?.refreshToken !== session.refreshToken) return current ?? null;
  if (answer.data) return saveSession(answer.data);
  const status = answer.response?.status;
  if (status === 400 || status === 401) {
    // The refresh token was refused (expired, revoked or reused): the session is over.
    setSession(null, 'expired');
    return null;
  }
  return session; // the API is down or rate limiting: try again later
}

async function exchangeInTurn(): Promise<StoredSession | null> {
  // Web Locks exist in secure contexts (https, localhost); elsewhere each tab refreshes on its own.
  if (typeof navigator !== 'undefined' && navigator.locks) return navigator.locks.request(REFRESH_LOCK, exchange);
  return exchange();
}

/**
 * Exchanges the refresh token for a new session. Single-flight: concurrent callers share one
 * exchange, and tabs take turns (Web Locks), since each refresh token works exactly once.
 */
export function refreshSession(): Promise<StoredSession | null> {
  if (!isBrowser()) return Promise.resolve(null);
  inFlight ??= exchangeInTurn().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

/** The access token to send, refreshed first when it is about to expire. */
export async function getAccessToken(): Promise<string | undefined> {
  const session = getSession();
  if (!session) return undefined;
  if (usable(session)) return session.accessToken;
  return (await refreshSession())?.accessToken;
}

/**
 * After the API refused `rejected`: a newer access token to retry with (refreshing once if
 * needed), or `undefined` when there is none.
 */
export async function accessTokenAfterRejection(rejected: string): Promise<string | undefined> {
  const session = getSession();
  if (!session) return undefined;
  if (session.accessToken !== rejected && usable(session)) return session.accessToken;
  const next = await refreshSession();
  return next && next.accessToken !== rejected ? next.accessToken : undefined;
}
