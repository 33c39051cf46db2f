import { accessTokenAfterRejection } from './session-store';

function bearerToken(request: Request): string | undefined {
  const header = request.headers.get('Authorization');
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

/**
 * The generated client's fetch: when the API answers 401 to a request that carried an access
 * token, refreshes the session once (shared with every other request doing the same) and
 * replays the request with the new token. Requests without a token pass straight through.
 */
export async function authFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const sent = bearerToken(request);
  if (!sent) return fetch(request);
  const replay = request.clone();
  const response = await fetch(request);
  if (response.status !== 401) return response;
  const token = await accessTokenAfterRejection(sent);
  if (!token) return response;
  const headers = new Headers(replay.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return fetch(new Request(replay, { headers }));
}
