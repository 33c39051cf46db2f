import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

export interface RecordedDiscordCall {
  method: string;
  /** Path without the `/api/v10` prefix, e.g. `/webhooks/123/abc`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  at: string;
}

export interface RunningDiscord {
  /** Pass as discord.js `rest.api`, e.g. http://127.0.0.1:PORT/api */
  apiBase: string;
  /** Calls recorded so far, oldest first. */
  calls(): RecordedDiscordCall[];
  clear(): void;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw) return null;
  if (contentType?.includes('application/json')) return JSON.parse(raw);
  // discord.js sends multipart when files are attached; keep the payload_json part.
  const match = /name="payload_json"\r\n(?:[^\r\n]*\r\n)*\r\n([\s\S]*?)\r\n--/.exec(raw);
  return match ? JSON.parse(match[1]) : raw;
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * Stands in for Discord's REST API on loopback: answers the calls our Discord delivery
 * makes (webhook execute, DM channel create, channel message) the way Discord does, and
 * records each one. A webhook whose token is `deleted-webhook` answers 404 Unknown Webhook; one
 * whose token starts with `fail-N-` answers 500 to its first N calls (then as usual), and
 * `fail-always-` to every call (a Discord outage, for retries). `GET /__calls` returns the
 * record, so a test in another process (e.g. the API under test) can read the delivered one-time code.
 */
export async function startDiscordStandIn(): Promise<RunningDiscord> {
  const recorded: RecordedDiscordCall[] = [];
  /** Calls so far per `fail-N-` webhook path. */
  const failing = new Map<string, number>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/__calls') {
      if (req.method === 'DELETE') recorded.length = 0;
      return send(res, 200, recorded);
    }
    const raw = await readBody(req);
    const path = url.pathname.replace(/^\/api\/v\d+/, '');
    let body: unknown;
    try {
      body = parseBody(raw, req.headers['content-type']);
    } catch {
      return send(res, 400, { message: 'Cannot parse body', code: 50109 });
    }
    recorded.push({
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      at: new Date().toISOString(),
    });
    const message = { id: randomUUID(), type: 0, content: '', embeds: [], ...(body as object) };
    if (req.method === 'POST' && /^\/webhooks\/[^/]+\/[^/]+$/.test(path)) {
      // A webhook someone deleted on Discord: tests name its token `deleted-webhook`.
      if (path.endsWith('/deleted-webhook')) return send(res, 404, { message: 'Unknown Webhook', code: 10015 });
      // A Discord outage: `fail-N-<random>` answers 500 N times, `fail-always-<random>` always.
      const outage = /\/fail-(\d+|always)-[\w-]+$/.exec(path);
      if (outage) {
        const calls = (failing.get(path) ?? 0) + 1;
        failing.set(path, calls);
        if (outage[1] === 'always' || calls <= Number(outage[1])) {
          return send(res, 500, { message: '500: Internal Server Error', code: 0 });
        }
      }
      return url.searchParams.get('wait') === 'true' ? send(res, 200, message) : send(res, 204, {});
    }
    if (req.method === 'POST' && path === '/users/@me/channels') {
      const recipient = (body as { recipient_id?: string } | null)?.recipient_id;
      return send(res, 200, { id: `dm-${recipient}`, type: 1, recipients: [{ id: recipient }] });
    }
    if (req.method === 'POST' && /^\/channels\/[^/]+\/messages$/.test(path)) {
      return send(res, 200, message);
    }
    return send(res, 404, { message: 'Unknown route', code: 0 });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiBase: `http://127.0.0.1:${port}/api`,
    calls: () => [...recorded],
    clear: () => {
      recorded.length = 0;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
