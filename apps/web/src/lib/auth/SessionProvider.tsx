'use client';

import { logout, switchTenant as openTenantSession, type SessionDto, type UserDto } from '@dumpstation/api-client';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { startLiveEvents } from '@/lib/events/live-events';
import {
  clearSession,
  getEndReason,
  getSession,
  saveSession,
  subscribe,
  updateSessionUser,
  type SessionEndReason,
} from './session-store';
import type { StoredSession } from './stored-session';

export type SessionStatus = 'loading' | 'authenticated' | 'anonymous';

export interface SessionContextValue {
  /** `loading` until the browser's stored session has been read (and during server rendering). */
  status: SessionStatus;
  session: StoredSession | null;
  /** Why the last session ended, when it did. */
  endReason: SessionEndReason | null;
  /** Keeps the session answered by /auth/verify. */
  signIn(session: SessionDto): void;
  /** Revokes the session on the API, forgets it here and goes to /login. */
  signOut(): Promise<void>;
  /** Opens a session in another tenant; every query is then refetched for it. */
  switchTenant(tenantId: string): Promise<void>;
  updateUser(user: UserDto): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

// undefined: not known yet (server render and hydration).
const serverSnapshot = (): StoredSession | null | undefined => undefined;

export function SessionProvider({ children }: { children: ReactNode }) {
  const session = useSyncExternalStore<StoredSession | null | undefined>(subscribe, getSession, serverSnapshot);
  const queryClient = useQueryClient();
  const router = useRouter();

  // One live-events stream per tab while signed in, reopened for another tenant or user.
  const tenantId = session?.tenant.id;
  const userId = session?.user.id;
  useEffect(() => {
    if (!tenantId || !userId) return;
    return startLiveEvents(queryClient);
  }, [tenantId, userId, queryClient]);

  const signIn = useCallback((dto: SessionDto) => {
    saveSession(dto);
  }, []);

  const signOut = useCallback(async () => {
    const ending = getSession();
    clearSession('signed-out');
    queryClient.clear();
    router.replace('/login');
    // A failure here (API down) still leaves this browser signed out.
    if (ending) await logout({ body: { refresh_token: ending.refreshToken } }).catch(() => undefined);
  }, [queryClient, router]);

  const switchTenant = useCallback(
    async (tenantId: string) => {
      const previous = getSession();
      const { data } = await openTenantSession({ body: { tenant_id: tenantId }, throwOnError: true });
      saveSession(data);
      // The switch opened a new session; the one it replaces is revoked (best effort) before the
      // switch is done, so no live session of the previous tenant outlasts it.
      if (previous) await logout({ body: { refresh_token: previous.refreshToken } }).catch(() => undefined);
      await queryClient.invalidateQueries();
    },
    [queryClient],
  );

  const value = useMemo<SessionContextValue>(
    () => ({
      status: session === undefined ? 'loading' : session ? 'authenticated' : 'anonymous',
      session: session ?? null,
      endReason: session === undefined ? null : getEndReason(),
      signIn,
      signOut,
      switchTenant,
      updateUser: updateSessionUser,
    }),
    [session, signIn, signOut, switchTenant],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() needs a <SessionProvider> above it');
  return value;
}

/** The signed-in session, for components rendered behind <RequireSession>. */
export function useSignedInSession(): StoredSession {
  const { session } = useSession();
  if (!session) throw new Error('useSignedInSession() is only for signed-in pages');
  return session;
}
