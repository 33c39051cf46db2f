import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where `scripts/install-pg-client-17.sh` (run by `make test` and `make dev`) caches the
 * PostgreSQL clients Debian bookworm lacks: `<dir>/<major>/bin`. Outside the checkout, so a
 * fresh clone reuses it. Only the tests and `make dev` know this layout; the product is told
 * through PG_BIN_DIR_TEMPLATE.
 */
export function pgClientsCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PG_CLIENTS_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dumpstation', 'pg-clients');
}

/** The system's clients (Debian/PGDG layout) first, then the cached ones: 15 here, and 17. */
export function testPgBinDirTemplate(env: NodeJS.ProcessEnv = process.env): string {
  return ['/usr/lib/postgresql/{major}/bin', join(pgClientsCacheDir(env), '{major}', 'bin')].join(':');
}
