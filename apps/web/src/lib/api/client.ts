import { configureClient } from '@dumpstation/api-client';
import { authFetch } from '@/lib/auth/auth-fetch';
import { getAccessToken } from '@/lib/auth/session-store';

let configured = false;

/**
 * The browser calls the console's own origin; src/app/api/[...path]/route.ts forwards to the API.
 * Requests that need a session carry its access token, refreshed when it is about to expire or
 * was refused. Called once, before the first query.
 */
export function setUpApiClient(): void {
  if (configured) return;
  configureClient({ baseUrl: '', token: getAccessToken, fetch: authFetch });
  configured = true;
}
