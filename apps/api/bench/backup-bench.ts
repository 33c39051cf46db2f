// `pnpm bench`: the API's backup and restore against plain pg_dump/pg_restore, in one run, on
// the same servers, plus the API process's memory. A measurement, not a test: it exits 0 whether
// or not the targets are met, and non-zero only when a backup or restore fails.
//
// Options (environment or arguments): BENCH_SIZE_MB / --size-mb (1024), BENCH_MAJOR / --major (15),
// BENCH_STORAGE / --storage (local | s3), BENCH_RUNS / --runs (3, at least 2), BENCH_RESTORE_JOBS / --restore-jobs (2).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import {
  API_ENTRY,
  startApiProcess,
  startDiscordStandIn,
  startPostgres,
  startS3,
  type ApiProcess,
  type RunningDiscord,
  type RunningPostgres,
} from '@dumpstation/testing';

// ---------------------------------------------------------------- options

function option(name: string, envName: string, fallback: string): string {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}` && args[i + 1] !== undefined) return args[i + 1];
    if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
  }
  return process.env[envName] || fallback;
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer (got "${value}")`);
  return n;
}

const SIZE_MB = positiveInt('BENCH_SIZE_MB', option('size-mb', 'BENCH_SIZE_MB', '1024'));
const MAJOR = positiveInt('BENCH_MAJOR', option('major', 'BENCH_MAJOR', '15'));
const STORAGE = option('storage', 'BENCH_STORAGE', 'local');
const RUNS = Math.max(2, positiveInt('BENCH_RUNS', option('runs', 'BENCH_RUNS', '3')));
const RESTORE_JOBS = positiveInt('BENCH_RESTORE_JOBS', option('restore-jobs', 'BENCH_RESTORE_JOBS', '2'));
if (STORAGE !== 'local' && STORAGE !== 's3') throw new Error(`BENCH_STORAGE must be local or s3 (got "${STORAGE}")`);

const TARGETS = { backupRatio: 1.1, restoreRatio: 1.2, rssGrowthMb: 150 };
// As often as the console polls; the wall time it measures can only err against the API (by < 1 s).
const POLL_MS = 1000;
const RSS_SAMPLE_MS = 50;
const JOB_TIMEOUT_MS = 2 * 60 * 60 * 1000;
const RESULTS_FILE = join(__dirname, 'results', 'latest.json');
const CLOCK_TICKS = 100; // USER_HZ on Linux (getconf CLK_TCK)

// ---------------------------------------------------------------- cleanup

const cleanups: { name: string; run: () => Promise<unknown> }[] = [];
const running = new Set<ChildProcess>();
function onCleanup(name: string, run: () => Promise<unknown>): void {
  cleanups.push({ name, run });
}
let cleanedUp = false;
async function cleanUp(): Promise<void> {
  if (cleanedUp) return;
  cleanedUp = true;
  for (const child of running) child.kill('SIGTERM');
  for (const { name, run } of cleanups.reverse()) {
    try {
      await run();
    } catch (error) {
      process.stderr.write(`cleanup of ${name} failed: ${(error as Error).message}\n`);
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- small helpers

const started = performance.now();
function log(message: string): void {
  process.stdout.write(`[bench +${((performance.now() - started) / 1000).toFixed(0).padStart(4)}s] ${message}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => bytes / 1024 / 1024;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const best = (values: number[]) => Math.min(...values);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** utime+stime of the process itself and of its waited-for children, in seconds (/proc/<pid>/stat). */
function cpuOf(pid: number | 'self'): { own: number; children: number } {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
  const tick = (field: number) => Number(fields[field - 3]) / CLOCK_TICKS;
  return { own: tick(14) + tick(15), children: tick(16) + tick(17) };
}

/** The machine's CPU time counters (/proc/stat, in ticks): busy, iowait and steal (stolen by the hypervisor). */
function machineCpu(): { total: number; iowait: number; steal: number } {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return { total: ticks.slice(0, 8).reduce((a, b) => a + b, 0), iowait: ticks[4], steal: ticks[7] ?? 0 };
}

/** Scheduler time of a process (/proc/<pid>/schedstat): on a CPU, and runnable but waiting for one, in seconds. */
interface Sched {
  runS: number;
  waitS: number;
}
function schedOf(pid: number): Sched | null {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { runS: run / 1e9, waitS: wait / 1e9 };
  } catch {
    return null;
  }
}

/** VmRSS and VmHWM of a process, in kB. */
function memoryOf(pid: number): { rssKb: number; hwmKb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
}

/** The pg_dump/pg_restore children of a process (not `--version` probes), by pid. */
function pgToolChildren(pid: number): number[] {
  const found: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    let children: string;
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const child of children.split(' ').filter(Boolean).map(Number)) {
      try {
        const argv = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0');
        if (/pg_(dump|restore)$/.test(argv[0]) && !argv.includes('--version')) found.push(child);
      } catch {
        // already gone
      }
    }
  }
  return found;
}

interface Watched {
  peakKb: number;
  samples: number;
  /** Seconds from the start until the API's pg_dump/pg_restore was first and last seen running (sampled). */
  toolFirstSeenS: number | null;
  toolLastSeenS: number | null;
  /** The pg tool's main process, last sampled. */
  toolSched: Sched | null;
}

/** Samples a process's VmRSS, and whether its pg tool runs, every RSS_SAMPLE_MS while an operation runs. */
function watchProcess(pid: number): { stop(): Watched } {
  const t0 = performance.now();
  const watched: Watched = { peakKb: 0, samples: 0, toolFirstSeenS: null, toolLastSeenS: null, toolSched: null };
  const sample = () => {
    try {
      watched.peakKb = Math.max(watched.peakKb, memoryOf(pid).rssKb);
      watched.samples++;
      const tools = pgToolChildren(pid);
      if (tools.length) {
        watched.toolSched = schedOf(tools[0]) ?? watched.toolSched;
        const at = (performance.now() - t0) / 1000;
        watched.toolFirstSeenS ??= at;
        watched.toolLastSeenS = at;
      }
    } catch {
      // the process is gone; the run will report it
    }
  };
  sample();
  const timer = setInterval(sample, RSS_SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return watched;
    },
  };
}

async function sql<T = Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The pg tool the API picks: the server's major, or the lowest newer one installed. */
function pgBinary(tool: 'pg_dump' | 'pg_restore', major: number): string {
  // One template or several separated by `:`, searched in order per major (as PG_BIN_DIR_TEMPLATE).
  const template = process.env.PG_BIN_DIR_TEMPLATE || '/usr/lib/postgresql/{major}/bin';
  for (let m = major; m <= 30; m++) {
    for (const one of template.split(':').filter(Boolean)) {
      const binary = join(one.replaceAll('{major}', String(m)), tool);
      if (existsSync(binary)) return binary;
    }
  }
  throw new Error(`no ${tool} for PostgreSQL ${major} or newer under ${template}`);
}

interface ToolRun {
  wallS: number;
  toolCpuS: number;
  serverCpuS: number;
  /** The tool's main process, last sampled (±RSS_SAMPLE_MS before it ended). */
  toolSched: Sched | null;
}

/** Runs a pg tool the way the API does (libpq settings through the environment, no shell). */
async function runTool(binary: string, args: string[], pg: RunningPostgres): Promise<ToolRun> {
  const cpuBefore = cpuOf('self').children;
  const serverBefore = serverCpu(pg);
  const t0 = performance.now();
  const child = spawn(binary, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LC_ALL: 'C.UTF-8',
      LC_MESSAGES: 'C',
      PGPASSWORD: pg.password,
      PGSSLMODE: 'disable',
      PGCONNECT_TIMEOUT: '15',
    },
  });
  running.add(child);
  let sched: Sched | null = null;
  const sampler = setInterval(() => (sched = schedOf(child.pid!) ?? sched), RSS_SAMPLE_MS);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-8_000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => resolve(exitCode));
  });
  const wallS = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  running.delete(child);
  if (code !== 0) throw new Error(`${binary} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`);
  await sleep(200); // let the postmaster reap the backends, so their CPU is counted
  return {
    wallS,
    toolCpuS: cpuOf('self').children - cpuBefore,
    serverCpuS: serverCpu(pg) - serverBefore,
    toolSched: sched,
  };
}

// The postmaster's own CPU plus that of its exited children (backends, workers), when readable.
let postmasterPid: number | undefined;
function serverCpu(_pg: RunningPostgres): number {
  if (!postmasterPid) return NaN;
  try {
    const cpu = cpuOf(postmasterPid);
    return cpu.own + cpu.children;
  } catch {
    return NaN;
  }
}

// ---------------------------------------------------------------- the API, through HTTP

const SIGN_IN_CODE = /sign-in code for \*\*([^*]+)\*\*: \*\*(\d{6})\*\*/;

class ApiClient {
  token = '';
  constructor(readonly baseUrl: string) {}

  async call(method: string, path: string, body?: unknown, expected = [200]): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!expected.includes(response.status)) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  /** Sign-in as the API's tests do it: login, the code from the Discord stand-in, verify. */
  async signIn(username: string, discord: RunningDiscord, webhookPath: string): Promise<void> {
    await this.call('POST', '/api/v1/auth/login', { username }, [202]);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const code = discord
        .calls()
        .filter((call) => call.path.startsWith(webhookPath))
        .map((call) => SIGN_IN_CODE.exec(String((call.body as { content?: string } | null)?.content ?? '')))
        .find((match) => match?.[1] === username)?.[2];
      if (code) {
        const session = await this.call('POST', '/api/v1/auth/verify', { username, otp: code });
        this.token = session.access_token as string;
        return;
      }
      if (Date.now() > deadline) throw new Error(`no sign-in code for ${username} reached the Discord stand-in`);
      await sleep(50);
    }
  }

  /** Polls a backup or restore every POLL_MS until it is final. */
  async waitForJob(path: string): Promise<Record<string, unknown>> {
    const deadline = Date.now() + JOB_TIMEOUT_MS;
    for (;;) {
      const job = await this.call('GET', path);
      if (job.status === 'success' || job.status === 'failed') return job;
      if (Date.now() > deadline) throw new Error(`${path} still ${job.status} after ${JOB_TIMEOUT_MS} ms`);
      await sleep(POLL_MS);
    }
  }
}

class JobFailed extends Error {}

/** The API under measurement, so a failure can show the end of its log. */
let apiProcess: ApiProcess | undefined;

interface ApiRun {
  /** From sending the request to the job's recorded finished_at (the API's clock is this machine's). */
  wallS: number;
  /** From sending the request to the poll that saw the job final: wallS plus up to POLL_MS. */
  observedS: number;
  /** What the API recorded: from the runner's start to its end (queueing excluded). */
  durationS: number;
  /** CPU of the API's Node process itself, and of pg_dump/pg_restore (its children). */
  apiCpuS: number;
  toolCpuS: number;
  serverCpuS: number;
  /** CPU of this bench process while the job ran: with BENCH_STORAGE=s3, mostly s3rver serving the API. */
  benchCpuS: number;
  peakRssMb: number;
  rssSamples: number;
  /** Sampled (±RSS_SAMPLE_MS): before the tool started, while it ran, after it ended. */
  phases: { beforeToolS: number; toolS: number; afterToolS: number } | null;
  toolSched: Sched | null;
  job: Record<string, unknown>;
}

async function measureApiJob(
  api: ApiProcess,
  client: ApiClient,
  pg: RunningPostgres,
  kind: 'backup' | 'restore',
  start: () => Promise<Record<string, unknown>>,
): Promise<ApiRun> {
  const pid = api.process.pid!;
  const cpuBefore = cpuOf(pid);
  const benchBefore = cpuOf('self').own;
  const serverBefore = serverCpu(pg);
  const sampler = watchProcess(pid);
  const t0 = performance.now();
  const sentAt = Date.now();
  const accepted = await start();
  const job = await client.waitForJob(`/api/v1/${kind === 'backup' ? 'backups' : 'restores'}/${accepted.id}`);
  const observedS = (performance.now() - t0) / 1000;
  // The poll interval is the bench's, not the API's: the job ends when the API records it finished.
  const wallS = (Date.parse(String(job.finished_at)) - sentAt) / 1000;
  const rss = sampler.stop();
  if (job.status !== 'success') throw new JobFailed(`API ${kind} ${accepted.id} failed: ${job.error_message}`);
  await sleep(200);
  const cpuAfter = cpuOf(pid);
  const benchCpuS = cpuOf('self').own - benchBefore;
  return {
    wallS,
    observedS,
    durationS: Number(job.duration_ms) / 1000,
    apiCpuS: cpuAfter.own - cpuBefore.own,
    toolCpuS: cpuAfter.children - cpuBefore.children,
    serverCpuS: serverCpu(pg) - serverBefore,
    benchCpuS,
    peakRssMb: rss.peakKb / 1024,
    rssSamples: rss.samples,
    toolSched: rss.toolSched,
    phases:
      rss.toolFirstSeenS === null || rss.toolLastSeenS === null
        ? null
        : {
            beforeToolS: rss.toolFirstSeenS,
            toolS: rss.toolLastSeenS - rss.toolFirstSeenS,
            afterToolS: wallS - rss.toolLastSeenS,
          },
    job,
  };
}

// ---------------------------------------------------------------- the source database

/** Two tables of generated rows (ints, numerics, text, timestamps, jsonb, random bytes) up to the target size. */
async function buildSourceDatabase(url: string, targetBytes: number): Promise<{ bytes: number; rows: number }> {
  await sql(
    url,
    `CREATE TABLE bench_orders (
       id bigint PRIMARY KEY, account_id int NOT NULL, amount numeric(12,2) NOT NULL, status text NOT NULL,
       note text NOT NULL, created_at timestamptz NOT NULL, payload bytea NOT NULL);
     CREATE TABLE bench_events (
       id bigint PRIMARY KEY, order_id bigint NOT NULL, kind text NOT NULL, occurred_at timestamptz NOT NULL,
       body jsonb NOT NULL, digest bytea NOT NULL);
     CREATE INDEX bench_events_order ON bench_events (order_id);
     CREATE VIEW bench_paid AS SELECT * FROM bench_orders WHERE status = 'paid';`,
  );
  // About 330 bytes of database per order row (with its half event row): ~8 batches, at most 250k orders each.
  const BATCH = 2 * Math.round(Math.min(250_000, Math.max(10_000, targetBytes / 8 / 330)) / 2);
  let orders = 0;
  let events = 0;
  let bytes = 0;
  while (bytes < targetBytes) {
    // payload: 48 bytes from random() (incompressible) and 16 from md5 of the id.
    await sql(
      url,
      `INSERT INTO bench_orders
       SELECT g, (g * 7919) % 100000, ((g * 31) % 10000000) / 100.0,
              (ARRAY['new','paid','shipped','refunded','cancelled'])[1 + g % 5],
              'order ' || g || ' for customer ' || (g % 50000) || ' ' || repeat(chr(97 + (g % 26)::int), (g % 30)::int),
              timestamptz '2024-01-01 00:00:00+00' + (g % 31536000) * interval '1 second',
              decode(md5(g::text) || md5(random()::text) || md5(random()::text) || md5(random()::text), 'hex')
       FROM generate_series($1::bigint, $2::bigint) g`,
      [orders + 1, orders + BATCH],
    );
    orders += BATCH;
    await sql(
      url,
      `INSERT INTO bench_events
       SELECT g, 1 + (g * 13) % $3::bigint, (ARRAY['created','paid','shipped','note'])[1 + g % 4],
              timestamptz '2024-01-01 00:00:00+00' + (g % 31536000) * interval '1 second' + random() * interval '1 hour',
              jsonb_build_object('seq', g, 'by', 'user' || (g % 977), 'ok', g % 7 <> 0, 'score', round(random()::numeric, 4)),
              decode(md5(random()::text), 'hex')
       FROM generate_series($1::bigint, $2::bigint) g`,
      [events + 1, events + BATCH / 2, orders],
    );
    events += BATCH / 2;
    bytes = Number((await sql<{ size: string }>(url, 'SELECT pg_database_size(current_database()) AS size'))[0].size);
    log(
      `  ${(orders + events).toLocaleString('en')} rows, ${mb(bytes).toFixed(0)} MB of ${mb(targetBytes).toFixed(0)}`,
    );
  }
  // Hint bits set and statistics fresh now, so no measured run pays for them.
  await sql(url, 'VACUUM (FREEZE, ANALYZE)');
  await sql(url, 'CHECKPOINT');
  bytes = Number((await sql<{ size: string }>(url, 'SELECT pg_database_size(current_database()) AS size'))[0].size);
  return { bytes, rows: orders + events };
}

async function rowCounts(url: string): Promise<string> {
  const [row] = await sql<{ orders: string; events: string }>(
    url,
    'SELECT (SELECT count(*) FROM bench_orders) AS orders, (SELECT count(*) FROM bench_events) AS events',
  );
  return `${row.orders}/${row.events}`;
}

// ---------------------------------------------------------------- main

interface Results {
  [key: string]: unknown;
}

async function main(): Promise<number> {
  if (!existsSync(API_ENTRY)) throw new Error(`${API_ENTRY} is missing: run \`pnpm --filter @dumpstation/api build\``);
  const pgDump = pgBinary('pg_dump', MAJOR);
  const pgRestore = pgBinary('pg_restore', MAJOR);
  log(
    `size ${SIZE_MB} MB, PostgreSQL ${MAJOR}, ${STORAGE} storage, ${RUNS} runs each, restore jobs ${RESTORE_JOBS}, ` +
      `${cpus().length} CPUs, ${mb(totalmem()).toFixed(0)} MB RAM`,
  );

  const work = await mkdtemp(join(tmpdir(), 'dumpstation-bench-'));
  onCleanup('work dir', () => rm(work, { recursive: true, force: true }));
  const storageRoot = join(work, 'storage');
  const restoreTemp = join(work, 'restore-tmp');
  await mkdir(storageRoot);
  await mkdir(restoreTemp);

  // The source server's data dir is ours, so we can find its postmaster (for CPU figures). Checkpoints
  // come from the explicit CHECKPOINTs between restores, not from timers or WAL volume mid-run.
  const sourceDataDir = await mkdtemp(join(tmpdir(), `dumpstation-bench-pg${MAJOR}-`));
  onCleanup('source data dir', () => rm(sourceDataDir, { recursive: true, force: true }));
  log(`starting PostgreSQL ${MAJOR} (source and restore target) and PostgreSQL 17 (the API's own database)`);
  const [source, own, discord, s3] = await Promise.all([
    startPostgres({
      major: MAJOR,
      dataDir: sourceDataDir,
      postgresFlags: ['-c', 'max_wal_size=4GB', '-c', 'checkpoint_timeout=30min'],
    }).then((pg) => {
      onCleanup(`PostgreSQL ${MAJOR}`, () => pg.stop());
      return pg;
    }),
    startPostgres({ major: 17 }).then((pg) => {
      onCleanup('PostgreSQL 17', () => pg.stop());
      return pg;
    }),
    startDiscordStandIn().then((d) => {
      onCleanup('Discord stand-in', () => d.stop());
      return d;
    }),
    STORAGE === 's3'
      ? startS3({ buckets: ['bench'] }).then((s) => {
          onCleanup('s3rver', () => s.stop());
          return s;
        })
      : Promise.resolve(undefined),
  ]);
  postmasterPid = Number(readFileSync(join(sourceDataDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;

  log(`building the source database (target ${SIZE_MB} MB)`);
  const generationStart = performance.now();
  const sourceUrl = await source.createDatabase('bench_source');
  const built = await buildSourceDatabase(sourceUrl, SIZE_MB * 1024 * 1024);
  const sourceRows = await rowCounts(sourceUrl);
  log(
    `source database: ${mb(built.bytes).toFixed(0)} MB (pg_database_size), ${built.rows.toLocaleString('en')} rows, ` +
      `built in ${((performance.now() - generationStart) / 1000).toFixed(0)} s`,
  );

  // The API: compiled, as a real process, on its own PostgreSQL 17.
  const webhookId = `${Date.now()}`.slice(-11);
  const webhookToken = randomBytes(12).toString('base64url');
  const webhookPath = `/webhooks/${webhookId}/${webhookToken}`;
  const api = await startApiProcess({
    databaseUrl: await own.createDatabase('dumpstation'),
    env: {
      LOG_LEVEL: 'warn',
      DISCORD_API_URL: discord.apiBase,
      SYSTEM_USERNAME: 'root',
      SYSTEM_DISCORD_WEBHOOK_URL: `https://discord.com/api${webhookPath}`,
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      JWT_EXPIRATION_MINUTES: '1440',
      STORAGE_LOCAL_ROOT: storageRoot,
      RESTORE_TEMP_DIR: restoreTemp,
      RESTORE_JOBS: String(RESTORE_JOBS),
      MAX_CONCURRENT_BACKUPS: '1',
    },
  });
  onCleanup('API process', () => api.stop());
  apiProcess = api;
  const client = new ApiClient(api.url);
  await client.signIn('root', discord, webhookPath);
  const storage = await client.call(
    'POST',
    '/api/v1/storage',
    s3
      ? {
          name: 'bench-s3',
          provider: 'minio',
          endpoint: s3.endpoint,
          bucket: 'bench',
          region: s3.region,
          access_key: s3.accessKeyId,
          secret_key: s3.secretAccessKey,
        }
      : { name: 'bench-local', provider: 'local' },
    [201],
  );
  const database = await client.call(
    'POST',
    '/api/v1/databases',
    {
      name: 'bench-source',
      host: source.host,
      port: source.port,
      dbname: 'bench_source',
      user: source.user,
      password: source.password,
      sslmode: 'disable',
      storage_id: storage.id,
    },
    [201],
  );
  log(`API ${api.url} (pid ${api.process.pid}) signed in, ${STORAGE} storage and database registered`);

  const conn = ['-h', source.host, '-p', String(source.port), '-U', source.user];
  const baselineDump = join(work, 'baseline.dump');

  // Warm-up (untimed in the comparison): also writes the archive the baseline restores use.
  log('warm-up: pg_dump -Fc to a file (the baseline restores read it)');
  const toFile = await runTool(pgDump, ['-Fc', ...conn, '-f', baselineDump, 'bench_source'], source);
  const baselineDumpBytes = (await stat(baselineDump)).size;
  log(`  ${toFile.wallS.toFixed(2)} s, archive ${mb(baselineDumpBytes).toFixed(0)} MB`);

  const machineBefore = machineCpu();
  const memoryBefore = memoryOf(api.process.pid!);
  log(`API RSS before the first backup: ${(memoryBefore.rssKb / 1024).toFixed(0)} MB`);

  const baselineBackups: ToolRun[] = [];
  const apiBackups: ApiRun[] = [];
  for (let i = 1; i <= RUNS; i++) {
    // --no-sync: pg_dump 15 fsyncs its output file, which /dev/null refuses (EINVAL).
    const base = await runTool(pgDump, ['-Fc', '--no-sync', ...conn, '-f', '/dev/null', 'bench_source'], source);
    baselineBackups.push(base);
    log(`backup ${i}/${RUNS}: pg_dump -Fc -f /dev/null ${base.wallS.toFixed(2)} s`);
    const run = await measureApiJob(api, client, source, 'backup', () =>
      client.call('POST', `/api/v1/databases/${database.id}/backup`, undefined, [202]),
    );
    apiBackups.push(run);
    log(
      `backup ${i}/${RUNS}: API                        ${run.wallS.toFixed(2)} s ` +
        `(duration_ms ${run.durationS.toFixed(2)} s, object ${mb(Number(run.job.size_bytes)).toFixed(0)} MB, ` +
        `peak RSS ${run.peakRssMb.toFixed(0)} MB)`,
    );
  }
  const backupId = apiBackups[apiBackups.length - 1].job.id as string;

  // What the API spends on its own while idle, and while answering our polls.
  const idleCpu = async (polled: boolean) => {
    const pid = api.process.pid!;
    const before = cpuOf(pid).own;
    const t0 = performance.now();
    while (performance.now() - t0 < 5_000) {
      if (polled) await client.call('GET', `/api/v1/backups/${backupId}`);
      await sleep(POLL_MS);
    }
    return (cpuOf(pid).own - before) / ((performance.now() - t0) / 1000);
  };
  const apiCpuIdle = await idleCpu(false);
  const apiCpuPolled = await idleCpu(true);
  log(`API CPU: ${apiCpuIdle.toFixed(3)} s/s idle, ${apiCpuPolled.toFixed(3)} s/s while polled every ${POLL_MS} ms`);

  const baselineRestores: (ToolRun & { createS: number })[] = [];
  const apiRestores: ApiRun[] = [];
  const restoredRows: string[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const baseDb = `bench_base_restore_${i}`;
    await sql(source.adminUrl, 'CHECKPOINT');
    const t0 = performance.now();
    await sql(source.adminUrl, `CREATE DATABASE ${baseDb}`);
    const createS = (performance.now() - t0) / 1000;
    const base = await runTool(
      pgRestore,
      [
        '--exit-on-error',
        '--no-owner',
        '--no-privileges',
        `--jobs=${RESTORE_JOBS}`,
        ...conn,
        '-d',
        baseDb,
        baselineDump,
      ],
      source,
    );
    baselineRestores.push({ ...base, createS });
    restoredRows.push(await rowCounts(source.urlFor(baseDb)));
    await sql(source.adminUrl, `DROP DATABASE ${baseDb}`);
    log(`restore ${i}/${RUNS}: pg_restore --jobs=${RESTORE_JOBS}          ${base.wallS.toFixed(2)} s`);

    const apiDb = `bench_api_restore_${i}`;
    await sql(source.adminUrl, `CHECKPOINT`);
    const run = await measureApiJob(api, client, source, 'restore', () =>
      client.call(
        'POST',
        `/api/v1/backups/${backupId}/restore`,
        {
          target_host: source.host,
          target_port: source.port,
          target_dbname: apiDb,
          target_user: source.user,
          target_password: source.password,
          target_sslmode: 'disable',
          create: true,
        },
        [202],
      ),
    );
    apiRestores.push(run);
    restoredRows.push(await rowCounts(source.urlFor(apiDb)));
    await sql(source.adminUrl, `DROP DATABASE ${apiDb}`);
    await sql(source.adminUrl, `CHECKPOINT`);
    log(
      `restore ${i}/${RUNS}: API                        ${run.wallS.toFixed(2)} s ` +
        `(duration_ms ${run.durationS.toFixed(2)} s, peak RSS ${run.peakRssMb.toFixed(0)} MB)`,
    );
  }
  const wrongRows = restoredRows.filter((rows) => rows !== sourceRows);
  if (wrongRows.length) throw new JobFailed(`restored row counts ${wrongRows.join(', ')} differ from ${sourceRows}`);

  const memoryAfter = memoryOf(api.process.pid!);
  const machineAfter = machineCpu();
  const machineTicks = machineAfter.total - machineBefore.total || 1;
  const stealPct = (100 * (machineAfter.steal - machineBefore.steal)) / machineTicks;
  const iowaitPct = (100 * (machineAfter.iowait - machineBefore.iowait)) / machineTicks;
  const peakRssMb = Math.max(...apiBackups.map((r) => r.peakRssMb), ...apiRestores.map((r) => r.peakRssMb));
  const baselineRssMb = memoryBefore.rssKb / 1024;

  const summary = {
    size_mb: round(mb(built.bytes), 0),
    baseline_backup_s: round(median(baselineBackups.map((r) => r.wallS))),
    api_backup_s: round(median(apiBackups.map((r) => r.wallS))),
    api_backup_seen_by_polling_s: round(median(apiBackups.map((r) => r.observedS))),
    backup_ratio: 0,
    baseline_restore_s: round(median(baselineRestores.map((r) => r.wallS))),
    api_restore_s: round(median(apiRestores.map((r) => r.wallS))),
    api_restore_seen_by_polling_s: round(median(apiRestores.map((r) => r.observedS))),
    restore_ratio: 0,
    api_rss_baseline_mb: round(baselineRssMb, 0),
    api_rss_peak_mb: round(peakRssMb, 0),
    api_rss_growth_mb: round(peakRssMb - baselineRssMb, 0),
    api_vmhwm_before_mb: round(memoryBefore.hwmKb / 1024, 0),
    api_vmhwm_after_mb: round(memoryAfter.hwmKb / 1024, 0),
  };
  summary.backup_ratio = round(summary.api_backup_s / summary.baseline_backup_s, 3);
  summary.restore_ratio = round(summary.api_restore_s / summary.baseline_restore_s, 3);
  const met = {
    backup: summary.backup_ratio <= TARGETS.backupRatio,
    restore: summary.restore_ratio <= TARGETS.restoreRatio,
    memory: summary.api_rss_growth_mb < TARGETS.rssGrowthMb,
  };

  const bestOf = {
    baseline_backup_s: round(best(baselineBackups.map((r) => r.wallS))),
    api_backup_s: round(best(apiBackups.map((r) => r.wallS))),
    baseline_restore_s: round(best(baselineRestores.map((r) => r.wallS))),
    api_restore_s: round(best(apiRestores.map((r) => r.wallS))),
  };
  const cpuCell = (runs: { toolCpuS: number; serverCpuS: number; apiCpuS?: number; benchCpuS?: number }[]) => {
    const parts = [`tool ${median(runs.map((r) => r.toolCpuS)).toFixed(1)}`];
    if (runs[0].apiCpuS !== undefined) parts.push(`api ${median(runs.map((r) => r.apiCpuS ?? 0)).toFixed(1)}`);
    const server = median(runs.map((r) => r.serverCpuS));
    if (Number.isFinite(server)) parts.push(`server ${server.toFixed(1)}`);
    // s3rver lives in this process and shares the machine's CPUs with pg_dump: the baseline has no such cost.
    if (STORAGE === 's3' && runs[0].benchCpuS !== undefined) {
      parts.push(`s3rver ${median(runs.map((r) => r.benchCpuS ?? 0)).toFixed(1)}`);
    }
    return parts.join(', ');
  };
  const phaseCell = (runs: ApiRun[], tool: string) => {
    const phases = runs.map((r) => r.phases).filter((p) => p !== null);
    if (!phases.length) return 'not observed';
    const m = (pick: (p: NonNullable<ApiRun['phases']>) => number) => median(phases.map(pick)).toFixed(2);
    return `${m((p) => p.beforeToolS)} + ${tool} ${m((p) => p.toolS)} + ${m((p) => p.afterToolS)}`;
  };
  const schedNote = 'median s; blocked = lifetime - on CPU - runqueue';
  const schedCell = (runs: [Sched | null, number][]) => {
    const seen = runs.filter((r): r is [Sched, number] => r[0] !== null);
    if (!seen.length) return 'not observed';
    const m = (pick: (r: [Sched, number]) => number) => median(seen.map(pick)).toFixed(1);
    return `CPU ${m(([x]) => x.runS)}, runqueue ${m(([x]) => x.waitS)}, blocked ${m(([x, life]) => life - x.runS - x.waitS)}`;
  };
  const runsCell = (runs: { wallS: number }[]) => runs.map((r) => r.wallS.toFixed(2)).join(' / ');
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  // The same rows for backups and restores: baseline, API (and its two other clocks), ratio.
  const jobRows = (
    kind: 'backup' | 'restore',
    baseline: ToolRun[],
    api: ApiRun[],
    durationNote: string,
  ): [string, string, string][] => [
    [`baseline ${kind}`, `${summary[`baseline_${kind}_s`].toFixed(2)} s`, `runs ${runsCell(baseline)}`],
    [`API ${kind}`, `${summary[`api_${kind}_s`].toFixed(2)} s`, `runs ${runsCell(api)}; request to finished_at`],
    [
      '  seen by polling',
      `${summary[`api_${kind}_seen_by_polling_s`].toFixed(2)} s`,
      `request to the poll (every ${POLL_MS} ms) that saw it end`,
    ],
    ['  API duration_ms', `${median(api.map((r) => r.durationS)).toFixed(2)} s`, durationNote],
    [
      `${kind} ratio`,
      `${summary[`${kind}_ratio`].toFixed(3)}`,
      `target <= ${TARGETS[`${kind}Ratio`].toFixed(2)}: ${verdict(met[kind])}`,
    ],
  ];
  const rows: [string, string, string][] = [
    ['database size', `${summary.size_mb} MB (pg_database_size)`, `${built.rows.toLocaleString('en')} rows`],
    ['archive size', `${mb(baselineDumpBytes).toFixed(0)} MB (pg_dump -Fc)`, ''],
    ['storage / PostgreSQL', `${STORAGE} / ${MAJOR}`, `${pgDump}, ${pgRestore}`],
    ...jobRows('backup', baselineBackups, apiBackups, 'runner start to end, as the API records it'),
    ...jobRows('restore', baselineRestores, apiRestores, 'includes the verified copy and CREATE DATABASE'),
    [
      'ratios with best runs',
      `backup ${(bestOf.api_backup_s / bestOf.baseline_backup_s).toFixed(3)}, restore ${(bestOf.api_restore_s / bestOf.baseline_restore_s).toFixed(3)}`,
      'fastest API run / fastest baseline run',
    ],
    ['API RSS baseline', `${summary.api_rss_baseline_mb} MB`, 'VmRSS just before the first backup'],
    ['API RSS peak', `${summary.api_rss_peak_mb} MB`, `VmRSS sampled every ${RSS_SAMPLE_MS} ms`],
    ['API RSS growth', `${summary.api_rss_growth_mb} MB`, `target < ${TARGETS.rssGrowthMb} MB: ${verdict(met.memory)}`],
    ['API VmHWM', `${summary.api_vmhwm_before_mb} -> ${summary.api_vmhwm_after_mb} MB`, 'before -> after the runs'],
    ['CPU s, baseline backup', cpuCell(baselineBackups), 'median; tool = pg_dump'],
    ['CPU s, API backup', cpuCell(apiBackups), 'api = the Node process itself'],
    ['CPU s, baseline restore', cpuCell(baselineRestores), 'tool = pg_restore and its workers'],
    ['CPU s, API restore', cpuCell(apiRestores), ''],
    ['API backup phases', phaseCell(apiBackups, 'pg_dump'), 'median s, sampled every 50 ms'],
    ['API restore phases', phaseCell(apiRestores, 'pg_restore'), 'before = fetch+verify copy, CREATE DATABASE'],
    ['pg_dump sched, baseline', schedCell(baselineBackups.map((r) => [r.toolSched, r.wallS])), schedNote],
    [
      'pg_dump sched, API',
      schedCell(apiBackups.map((r) => [r.toolSched, r.phases?.toolS ?? r.wallS])),
      '(/proc/<pid>/schedstat of pg_dump)',
    ],
    [
      'machine during the runs',
      `steal ${stealPct.toFixed(1)}%, iowait ${iowaitPct.toFixed(1)}%`,
      `of all ${cpus().length} CPUs' time (/proc/stat)`,
    ],
    [
      'API CPU idle / polled',
      `${apiCpuIdle.toFixed(3)} / ${apiCpuPolled.toFixed(3)} s/s`,
      `polled = GET /backups/{id} every ${POLL_MS} ms`,
    ],
  ];
  const width = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length))];
  const line = `+${'-'.repeat(width[0] + 2)}+${'-'.repeat(width[1] + 2)}+${'-'.repeat(48)}`;
  process.stdout.write(`\nDumpStation backup/restore benchmark (median of ${RUNS} runs each)\n${line}\n`);
  for (const [name, value, note] of rows) {
    process.stdout.write(`| ${name.padEnd(width[0])} | ${value.padEnd(width[1])} | ${note}\n`);
  }
  process.stdout.write(`${line}\n`);

  const results: Results = {
    at: new Date().toISOString(),
    options: { size_mb: SIZE_MB, major: MAJOR, storage: STORAGE, runs: RUNS, restore_jobs: RESTORE_JOBS },
    machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model, memory_mb: round(mb(totalmem()), 0) },
    node: process.version,
    pg_dump: pgDump,
    pg_restore: pgRestore,
    source: { bytes: built.bytes, rows: built.rows, archive_bytes: baselineDumpBytes },
    targets: TARGETS,
    summary,
    met,
    best: bestOf,
    machine_during_runs: { steal_pct: round(stealPct), iowait_pct: round(iowaitPct) },
    warm_up_dump_to_file: toFile,
    api_cpu_s_per_s: { idle: apiCpuIdle, polled: apiCpuPolled },
    runs: {
      baseline_backup: baselineBackups,
      api_backup: apiBackups.map(({ job, ...rest }) => ({ ...rest, size_bytes: job.size_bytes })),
      baseline_restore: baselineRestores,
      api_restore: apiRestores.map(({ job: _job, ...rest }) => rest),
    },
  };
  await mkdir(join(__dirname, 'results'), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  log(`results written to ${RESULTS_FILE}`);
  return 0;
}

main()
  .then(
    (code) => code,
    (error: unknown) => {
      process.stderr.write(`\nbench ${error instanceof JobFailed ? 'FAILED' : 'error'}: ${(error as Error).stack}\n`);
      const output = apiProcess?.output().trim();
      if (output) process.stderr.write(`\nend of the API's log:\n${output.slice(-4_000)}\n`);
      return 1;
    },
  )
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  });
