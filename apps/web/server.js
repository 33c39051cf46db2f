// The console's HTTP server: `next start`, plus two things Next cannot do for us: tell the
// /api/* proxy who connected, and pass a backup download through with its Content-Length (below).
// Who connected: Next route handlers see no socket, and Next itself keeps any
// X-Forwarded-For the client sent (it only fills the header in when absent), so a client could
// pick the address the API rate-limits and logs. Here, before Next sees the request, the
// forwarding headers are replaced by the one address this server saw (or, with TRUSTED_PROXIES,
// the client address those proxies reported).
//
//   PORT (3000), HOSTNAME (0.0.0.0), TRUSTED_PROXIES (none): comma-separated IPs, CIDRs or
//   loopback/linklocal/uniquelocal: reverse proxies in front of the console; API_URL
//   (http://localhost:8080), as for the /api/* route.
'use strict';

const http = require('node:http');
const https = require('node:https');
const next = require('next');
const proxyaddr = require('proxy-addr');

const CLIENT_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/** A backup's download link (GET /api/v1/backups/{id}/file?token=…), which the browser fetches natively. */
const DOWNLOAD_LINK = /^\/api\/v1\/backups\/[0-9a-fA-F-]{36}\/file(\?|$)/;

/** Headers of one hop only, not passed on either way. */
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
]);

/** @param {string | undefined} value */
function trustFrom(value) {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  try {
    return proxyaddr.compile(entries);
  } catch (error) {
    throw new Error(`TRUSTED_PROXIES: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Rewrites the request's forwarding headers to the client address alone.
 * @param {import('node:http').IncomingMessage} req
 * @param {(address: string, hop: number) => boolean} trust
 */
function setClientAddress(req, trust) {
  // With no trusted proxy this is the socket's address; otherwise the last hop they reported.
  const address = proxyaddr(req, trust);
  for (const name of CLIENT_HEADERS) delete req.headers[name];
  if (address) req.headers['x-forwarded-for'] = address;
}

/** @param {import('node:http').IncomingMessage} req */
function isDownloadLink(req) {
  return (req.method === 'GET' || req.method === 'HEAD') && DOWNLOAD_LINK.test(req.url ?? '');
}

/**
 * Streams a download link's answer from the API as it comes, status and headers included.
 * The /api/* route handler streams too, but Next drops Content-Length from every route handler's
 * answer: without it the browser cannot tell how far a download is. Errors stay the API's JSON.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} apiUrl
 */
function proxyDownload(req, res, apiUrl) {
  const target = new URL(`${apiUrl.replace(/\/+$/, '')}${req.url}`);
  /** @type {Record<string, string | string[]>} */
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  }
  headers['x-forwarded-host'] = req.headers.host ?? '';
  headers['x-forwarded-proto'] = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
  const upstream = (target.protocol === 'https:' ? https : http).request(
    target,
    { method: req.method, headers },
    (answer) => {
      /** @type {Record<string, string | string[]>} */
      const passed = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) passed[name] = value;
      }
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, passed);
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    },
  );
  upstream.on('error', () => {
    if (res.headersSent) return res.destroy();
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 502, code: 'BAD_GATEWAY', message: 'API unreachable', errors: [] }));
  });
  // The browser cancelled: stop reading from the API (and so from the storage).
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  upstream.end();
}

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  const hostname = process.env.HOSTNAME ?? '0.0.0.0';
  const trust = trustFrom(process.env.TRUSTED_PROXIES);
  const app = next({ dev: false, dir: __dirname, hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const apiUrl = process.env.API_URL ?? 'http://localhost:8080';
  const server = http.createServer((req, res) => {
    setClientAddress(req, trust);
    if (isDownloadLink(req)) return proxyDownload(req, res, apiUrl);
    handle(req, res).catch((error) => {
      console.error(error);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  server.listen(port, hostname, () => console.log(`console listening on http://${hostname}:${port}`));

  // Finish in-flight requests on SIGTERM (docker stop), but do not wait forever.
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

module.exports = { setClientAddress, trustFrom };
