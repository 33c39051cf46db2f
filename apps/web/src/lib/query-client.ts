import { isErrorResponse } from '@dumpstation/api-client';
import { QueryClient, isServer } from '@tanstack/react-query';

/** Retries once, unless the API refused the request (a 4xx answer will not change on its own). */
function retry(failureCount: number, error: unknown): boolean {
  if (isErrorResponse(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 1;
}

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 10_000, retry, refetchOnWindowFocus: true },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

/** A new client per server request (no data shared between users); one for the browser's lifetime. */
export function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}
