import { configureClient } from '@dumpstation/api-client';

let configured = false;

/**
 * The browser calls the console's own origin; src/app/api/[...path]/route.ts forwards to the API.
 * Called once, before the first query.
 */
export function setUpApiClient(): void {
  if (configured) return;
  configureClient({ baseUrl: '' });
  configured = true;
}
