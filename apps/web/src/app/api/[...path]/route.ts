import { isIP } from 'node:net';
import type { NextRequest } from 'next/server';

// Resolved per request, so one build works against any API_URL.
export const dynamic = 'force-dynamic';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

// Whatever a client says about its address; the proxy states the address itself (below).
const CLIENT_ADDRESS = new Set(['x-forwarded-for', 'forwarded', 'x-real-ip']);

function apiOrigin(): string {
  return (process.env.API_URL ?? 'http://localhost:8080').replace(/\/+$/, '');
}

function forwardedHeaders(source: Headers, drop: Set<string>): Headers {
  const headers = new Headers();
  source.forEach((value, key) => {
    if (!drop.has(key.toLowerCase())) headers.set(key, value);
  });
  return headers;
}

/**
 * Forwards /api/* to the API, streaming both ways (live progress passes through unbuffered). The
 * browser only ever talks to the console's origin. Next drops Content-Length from a route
 * handler's answer, so a backup's download link is passed on by server.js instead, size included.
 */
async function proxy(request: NextRequest): Promise<Response> {
  const target = `${apiOrigin()}${request.nextUrl.pathname}${request.nextUrl.search}`;
  const headers = forwardedHeaders(request.headers, new Set([...HOP_BY_HOP, ...CLIENT_ADDRESS]));
  // server.js replaced X-Forwarded-For with the one address it saw before Next ran (route
  // handlers see no socket), so this is a single address, sent on alone: never appended to.
  const client = request.headers.get('x-forwarded-for')?.trim();
  if (client && isIP(client)) headers.set('x-forwarded-for', client);
  headers.set('x-forwarded-host', request.headers.get('host') ?? '');
  headers.set('x-forwarded-proto', request.nextUrl.protocol.replace(':', ''));
  const hasBody = !['GET', 'HEAD'].includes(request.method);
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers,
      body: hasBody ? request.body : undefined,
      redirect: 'manual',
      cache: 'no-store',
      signal: request.signal,
      // Required by undici to stream a request body.
      ...(hasBody ? { duplex: 'half' } : {}),
    } as RequestInit);
  } catch {
    return Response.json({ status: 502, code: 'BAD_GATEWAY', message: 'API unreachable', errors: [] }, { status: 502 });
  }
  // fetch already decoded the body, so its encoding and length headers no longer apply.
  const responseHeaders = forwardedHeaders(upstream.headers, new Set([...HOP_BY_HOP, 'content-encoding']));
  return new Response(upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: responseHeaders,
  });
}

export { proxy as GET, proxy as POST, proxy as PUT, proxy as PATCH, proxy as DELETE, proxy as HEAD, proxy as OPTIONS };
