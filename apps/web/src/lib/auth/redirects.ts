import type { SessionEndReason } from './session-store';

/** /login, remembering where to come back to (and that the session expired, if it did). */
export function loginPath(from: string, reason: SessionEndReason | null): string {
  const params = new URLSearchParams();
  if (from && from !== '/' && reason !== 'signed-out') params.set('next', from);
  if (reason === 'expired') params.set('expired', '1');
  const query = params.toString();
  return query ? `/login?${query}` : '/login';
}

/** Where to go after signing in: `next` when it is a path of this console, else the overview. */
export function afterSignInPath(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/login') || next.startsWith('/api/')) return '/';
  return next;
}
