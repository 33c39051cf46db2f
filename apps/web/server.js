// The console's HTTP server: `next start`, plus the one thing Next cannot do for us: tell the
// /api/* proxy who connected. Next route handlers see no socket, and Next itself keeps any
// X-Forwarded-For the client sent (it only fills the header in when absent), so a client could
// pick the address the API rate-limits and logs. Here, before Next sees the request, the
// forwarding headers are replaced by the one address this server saw (or, with TRUSTED_PROXIES,
// the client address those proxies reported).
//
//   PORT (3000), HOSTNAME (0.0.0.0), TRUSTED_PROXIES (none): comma-separated IPs, CIDRs or
//   loopback/linklocal/uniquelocal: reverse proxies in front of the console.
'use strict';

const { createServer } = require('node:http');
const next = require('next');
const proxyaddr = require('proxy-addr');

const CLIENT_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

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

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  const hostname = process.env.HOSTNAME ?? '0.0.0.0';
  const trust = trustFrom(process.env.TRUSTED_PROXIES);
  const app = next({ dev: false, dir: __dirname, hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer((req, res) => {
    setClientAddress(req, trust);
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
