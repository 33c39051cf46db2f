// `pnpm bench`: what a user would compare, in one run, on the same source database and servers:
//   1. local: the API's backup vs `pg_dump -Fc --compress=… > /dev/null`, for gzip 6 and zstd 3;
//   2. S3: the API's backup (age-encrypted, checksummed, sidecar) vs
//      `pg_dump -Fc | age -r KEY | aws s3 cp - s3://…`, against one s3rver running as its own process;
//   3. restore from S3: the API's restore vs `aws s3 cp s3://… - | age -d -i ID -o FILE` then
//      `pg_restore --jobs=N FILE` into a fresh database;
//   4. zstd vs gzip: the API's backup time and stored size of the same database;
// plus peak RSS of the API and worker processes and CPU seconds per GB dumped of every process.
// A measurement, not a test: it exits 0 whether or not the targets are met, and non-zero only when a
// backup or restore fails, restored row counts differ, or the setup breaks.
//
// Options (environment or arguments): BENCH_SIZE_MB / --size-mb (1024), BENCH_MAJOR / --major (17),
// BENCH_RUNS / --runs (3, at least 2), BENCH_RESTORE_JOBS / --restore-jobs (2),
// BENCH_ROLES / --roles (split: an APP_ROLE=api and an APP_ROLE=worker process; all: one process),
// BENCH_CPU_PROF / --cpu-prof (a folder for V8 CPU profiles of the API and worker; off by default).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import {
  API_ENTRY,
  startApiProcess,
  startDiscordStandIn,
  startPostgres,
  testPgBinDirTemplate,
  type ApiProcess,
  type RunningDiscord,
} from '@dumpstation/testing';
import { option, positiveInt } from './options';
import {
  benchLog,
  CLOCK_TICKS,
  cleanUp,
  cleanUpOnSignals,
  cpuOf,
  machineCpu,
  median,
  onCleanup,
  roundTo,
  runningChildren,
  sleep,
  statFields,
  tick,
} from './support';
import { startS3Process } from '@dumpstation/testing/src/s3-process';

// ---------------------------------------------------------------- options

const SIZE_MB = positiveInt('BENCH_SIZE_MB', option('size-mb', 'BENCH_SIZE_MB', '1024'));
// 17: the API dumps it with pg_dump 17, which writes zstd (pg_dump 15, the system's, cannot).
const MAJOR = positiveInt('BENCH_MAJOR', option('major', 'BENCH_MAJOR', '17'));
const RUNS = Math.max(2, positiveInt('BENCH_RUNS', option('runs', 'BENCH_RUNS', '3')));
const RESTORE_JOBS = positiveInt('BENCH_RESTORE_JOBS', option('restore-jobs', 'BENCH_RESTORE_JOBS', '2'));
const ROLES = option('roles', 'BENCH_ROLES', 'split');
if (ROLES !== 'split' && ROLES !== 'all') throw new Error(`BENCH_ROLES must be split or all (got "${ROLES}")`);
// The clients the API is given, and the ones the baselines run: the same.
const PG_BIN_DIR_TEMPLATE = process.env.PG_BIN_DIR_TEMPLATE || testPgBinDirTemplate();
// A folder: the API and worker processes (and the backup's worker threads) write V8 CPU profiles there (--cpu-prof).
const CPU_PROF_DIR = option('cpu-prof', 'BENCH_CPU_PROF', '');

const TARGETS = {
  /** API / plain pg_dump to /dev/null, each algorithm. */
  localBackupRatio: 1.05,
  /** API / shell pipeline, to and from the same S3 server. */
  s3BackupRatio: 1.0,
  s3RestoreRatio: 1.0,
  /** API gzip-6 backup time / API zstd-3 backup time. */
  zstdSpeedup: 2,
  rssGrowthMb: 150,
};
const GZIP = { algorithm: 'gzip', level: 6 } as const;
const ZSTD = { algorithm: 'zstd', level: 3 } as const;
type Algorithm = typeof GZIP | typeof ZSTD;

// As often as the console polls; the wall time it measures can only err against the API (by < 1 s).
const POLL_MS = 1000;
const RSS_SAMPLE_MS = 50;
const JOB_TIMEOUT_MS = 2 * 60 * 60 * 1000;
const RESULTS_FILE = join(__dirname, 'results', 'latest.json');
const BUCKET = 'bench';

// ---------------------------------------------------------------- small helpers

const log = benchLog('bench');
cleanUpOnSignals(log);
const round = roundTo(2);
const mb = (bytes: number) => bytes / 1024 / 1024;
const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
const compressArg = (c: Algorithm) => (c.algorithm === 'gzip' ? `--compress=${c.level}` : `--compress=zstd:${c.level}`);
const label = (c: Algorithm) => `${c.algorithm}-${c.level}`;

class JobFailed extends Error {}

/** utime+stime of each live thread of a process, by thread id. */
function threadCpu(pid: number): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const f = statFields(`/proc/${pid}/task/${tid}/stat`);
      cpu.set(Number(tid), tick(f, 14) + tick(f, 15));
    } catch {
      // ended meanwhile
    }
  }
  return cpu;
}

/** VmRSS and VmHWM of a process, in kB. */
function memoryOf(pid: number): { rssKb: number; hwmKb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
}

/** Resets VmHWM to the current RSS (`echo 5 > /proc/<pid>/clear_refs`, needs to own the process or root). */
function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
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
        // The cached client 17 is a shell wrapper around trixie's loader: the tool is an argument.
        if (argv.some((a) => /pg_(dump|restore)$/.test(a)) && !argv.includes('--version')) found.push(child);
      } catch {
        // already gone
      }
    }
  }
  return found;
}

/** pg_dump/pg_restore processes below a process, at any depth (a shell's pipeline stages). */
function pgToolDescendants(pid: number, depth = 4): number[] {
  const found = pgToolChildren(pid);
  if (depth === 0) return found;
  for (const task of readdirSync(`/proc/${pid}/task`, { withFileTypes: false }).map(String)) {
    let children: string;
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const child of children.split(' ').filter(Boolean).map(Number)) {
      try {
        if (!found.includes(child)) found.push(...pgToolDescendants(child, depth - 1));
      } catch {
        // already gone
      }
    }
  }
  return found;
}

/**
 * The last /proc/<pid>/schedstat seen of each pg tool process: seconds on a CPU and runnable but
 * waiting for one (the run queue). Sampled, so it misses at most the last RSS_SAMPLE_MS of each.
 */
class ToolSched {
  private readonly last = new Map<number, { runS: number; waitS: number }>();
  sample(pids: number[]): void {
    for (const pid of pids) {
      try {
        const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
        this.last.set(pid, { runS: run / 1e9, waitS: wait / 1e9 });
      } catch {
        // ended
      }
    }
  }
  total(): { runS: number; waitS: number } | null {
    if (!this.last.size) return null;
    let runS = 0;
    let waitS = 0;
    for (const x of this.last.values()) {
      runS += x.runS;
      waitS += x.waitS;
    }
    return { runS, waitS };
  }
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
  for (let m = major; m <= 30; m++) {
    for (const one of PG_BIN_DIR_TEMPLATE.split(':').filter(Boolean)) {
      const binary = join(one.replaceAll('{major}', String(m)), tool);
      if (existsSync(binary)) return binary;
    }
  }
  throw new Error(
    `no ${tool} for PostgreSQL ${major} or newer under ${PG_BIN_DIR_TEMPLATE}` +
      (major >= 16 ? ' (run `make pg-clients` for client 17)' : ''),
  );
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

// ---------------------------------------------------------------- who spends the CPU

/** The processes whose CPU the bench reads, set once they run. */
const pids: { api?: number; worker?: number; s3?: number; postmaster?: number } = {};

interface CpuSnapshot {
  at: number;
  api: { own: number; children: number };
  worker: { own: number; children: number };
  workerThreads: Map<number, number>;
  s3: number;
  postgres: number;
  machine: ReturnType<typeof machineCpu>;
}

function ownPlusReaped(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const cpu = cpuOf(pid);
    return cpu.own + cpu.children;
  } catch {
    return NaN;
  }
}

function snapshot(): CpuSnapshot {
  return {
    at: performance.now(),
    api: pids.api ? cpuOf(pids.api) : { own: NaN, children: NaN },
    worker: pids.worker ? cpuOf(pids.worker) : { own: NaN, children: NaN },
    workerThreads: pids.worker ? threadCpu(pids.worker) : new Map(),
    s3: pids.s3 ? cpuOf(pids.s3).own : NaN,
    // The postmaster's own CPU plus that of its exited children (backends, parallel workers).
    postgres: ownPlusReaped(pids.postmaster),
    machine: machineCpu(),
  };
}

/** CPU seconds spent between two snapshots, by whom. */
interface CpuSpent {
  /** The API's Node process (with ROLES=all it is the worker too, counted under worker). */
  api: number;
  /** The worker process's own CPU (all its threads, the backup thread included). */
  worker: number;
  /** Of `worker`: its main thread (the event loop: queue, progress, database updates; a restore's streams). */
  workerMain: number;
  /** Of `worker`: threads that ended during the job (the backup's worker_thread). */
  workerEndedThreads: number;
  /** The worker's pg_dump/pg_restore (reaped children). */
  tool: number;
  s3rver: number;
  postgres: number;
  /** Everything else on the machine (other processes, the bench itself), from /proc/stat. */
  otherBusy: number;
}

/** Every process the comparison involves (not other load): the API's side, or the pipeline's. */
function totalCpu(cpu: CpuSpent): number {
  return [cpu.api, cpu.worker, cpu.tool, cpu.s3rver, cpu.postgres].filter(Number.isFinite).reduce((a, b) => a + b, 0);
}

function cpuBetween(a: CpuSnapshot, b: CpuSnapshot, toolS?: number): CpuSpent {
  const worker = b.worker.own - a.worker.own;
  let liveThreads = 0;
  for (const [tid, cpu] of b.workerThreads) liveThreads += cpu - (a.workerThreads.get(tid) ?? 0);
  const api = pids.api === pids.worker ? 0 : b.api.own - a.api.own;
  const tool = toolS ?? b.worker.children - a.worker.children;
  const s3rver = b.s3 - a.s3;
  const postgres = b.postgres - a.postgres;
  const busy =
    (b.machine.total - b.machine.idle - b.machine.iowait - (a.machine.total - a.machine.idle - a.machine.iowait)) /
    CLOCK_TICKS;
  const known = [api, worker, tool, s3rver, postgres].filter(Number.isFinite).reduce((x, y) => x + y, 0);
  return {
    api,
    worker,
    workerMain: (b.workerThreads.get(pids.worker!) ?? NaN) - (a.workerThreads.get(pids.worker!) ?? NaN),
    workerEndedThreads: Math.max(0, worker - liveThreads),
    tool,
    s3rver,
    postgres,
    otherBusy: Math.max(0, busy - known),
  };
}

// ---------------------------------------------------------------- shell baselines

interface Stage {
  name: string;
  argv: string[];
}

interface ShellRun {
  wallS: number;
  /** user+sys of each stage (bash's `time`, its children included: pg_restore's workers). */
  stageCpuS: Record<string, number>;
  cpu: CpuSpent;
  /** pg_dump/pg_restore on a CPU and waiting for one (schedstat, sampled). */
  toolSched: { runS: number; waitS: number } | null;
}

let workDir = '';
let shellEnv: NodeJS.ProcessEnv = {};

/**
 * Runs pipelines of stages one after the other (`a | b | c && d`) under bash with pipefail, each
 * stage timed by bash's `time` keyword (exact user+sys, children included).
 */
async function runShell(pipelines: Stage[][], extraS = 0): Promise<ShellRun> {
  const dir = await mkdtemp(join(workDir, 'sh-'));
  const file = (stage: Stage, ext: string) => shellQuote(join(dir, `${stage.name}.${ext}`));
  const part = (stage: Stage) =>
    `{ time ${stage.argv.map(shellQuote).join(' ')} 2>${file(stage, 'err')}; } 2>${file(stage, 'cpu')}`;
  const script = `set -o pipefail\nTIMEFORMAT='%3U %3S'\n${pipelines.map((p) => p.map(part).join(' | ')).join(' &&\n')}\n`;
  const before = snapshot();
  const t0 = performance.now();
  const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'ignore', 'pipe'], env: shellEnv });
  runningChildren.add(child);
  const sched = new ToolSched();
  const schedSampler = setInterval(() => {
    try {
      sched.sample(pgToolDescendants(child.pid!));
    } catch {
      // the shell ended
    }
  }, RSS_SAMPLE_MS);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-8_000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => resolve(exitCode));
  });
  clearInterval(schedSampler);
  const wallS = (performance.now() - t0) / 1000 + extraS;
  runningChildren.delete(child);
  const stages = pipelines.flat();
  if (code !== 0) {
    const errors = await Promise.all(
      stages.map(
        async (s) => `${s.name}: ${(await readFile(join(dir, `${s.name}.err`), 'utf8').catch(() => '')).trim()}`,
      ),
    );
    throw new JobFailed(`pipeline exited with ${code}: ${stderr.trim()}\n${errors.join('\n')}\n${script}`);
  }
  await sleep(200); // let the postmaster reap the backends, so their CPU is counted
  const after = snapshot();
  const stageCpuS: Record<string, number> = {};
  for (const stage of stages) {
    const [user, sys] = (await readFile(join(dir, `${stage.name}.cpu`), 'utf8')).trim().split(/\s+/).map(Number);
    stageCpuS[stage.name] = user + sys;
  }
  await rm(dir, { recursive: true, force: true });
  const toolS = Object.values(stageCpuS).reduce((a, b) => a + b, 0);
  // The API's idle processes are not the pipeline's: their few ticks go to otherBusy.
  const cpu = { ...cpuBetween(before, after, toolS), api: 0, worker: 0, workerMain: 0, workerEndedThreads: 0 };
  return { wallS, stageCpuS, cpu, toolSched: sched.total() };
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

/** The processes under measurement, so a failure can show the end of their logs. */
const apiProcesses: { name: string; process: ApiProcess }[] = [];

interface ApiRun {
  /** From sending the request to the job's recorded finished_at (the API's clock is this machine's). */
  wallS: number;
  /** What the API recorded: from the runner's start to its end (queueing excluded). */
  durationS: number;
  /** From sending the request to the job's recorded started_at: the job queue's pick-up. */
  queueS: number;
  cpu: CpuSpent;
  /** VmHWM during the job (reset before it), else the highest VmRSS sampled; MB. */
  apiPeakMb: number;
  workerPeakMb: number;
  /** Sampled (±RSS_SAMPLE_MS): before the pg tool started, while it ran, after it ended. */
  phases: { beforeToolS: number; toolS: number; afterToolS: number } | null;
  /** The worker's pg tools on a CPU and waiting for one (schedstat, sampled). */
  toolSched: { runS: number; waitS: number } | null;
  job: Record<string, unknown>;
}

async function measureApiJob(
  client: ApiClient,
  kind: 'backup' | 'restore',
  start: () => Promise<Record<string, unknown>>,
): Promise<ApiRun> {
  const api = pids.api!;
  const worker = pids.worker!;
  const hwmReset = resetPeakRss(api) && resetPeakRss(worker);
  let apiPeakKb = 0;
  let workerPeakKb = 0;
  const sched = new ToolSched();
  let toolFirst: number | null = null;
  let toolLast: number | null = null;
  const before = snapshot();
  const sample = () => {
    try {
      apiPeakKb = Math.max(apiPeakKb, memoryOf(api).rssKb);
      workerPeakKb = Math.max(workerPeakKb, memoryOf(worker).rssKb);
      const tools = pgToolChildren(worker);
      sched.sample(tools);
      if (tools.length) {
        const at = (performance.now() - before.at) / 1000;
        toolFirst ??= at;
        toolLast = at;
      }
    } catch {
      // a process is gone; the run will report it
    }
  };
  const sampler = setInterval(sample, RSS_SAMPLE_MS);
  const sentAt = Date.now() - (performance.now() - before.at);
  const accepted = await start();
  const job = await client.waitForJob(`/api/v1/${kind === 'backup' ? 'backups' : 'restores'}/${accepted.id}`);
  clearInterval(sampler);
  sample();
  // The poll interval is the bench's, not the API's: the job ends when the API records it finished.
  const wallS = (Date.parse(String(job.finished_at)) - sentAt) / 1000;
  if (job.status !== 'success') throw new JobFailed(`API ${kind} ${accepted.id} failed: ${job.error_message}`);
  await sleep(200);
  const after = snapshot();
  if (hwmReset) {
    apiPeakKb = Math.max(apiPeakKb, memoryOf(api).hwmKb);
    workerPeakKb = Math.max(workerPeakKb, memoryOf(worker).hwmKb);
  }
  return {
    wallS,
    durationS: Number(job.duration_ms) / 1000,
    queueS: (Date.parse(String(job.started_at)) - sentAt) / 1000,
    cpu: cpuBetween(before, after),
    apiPeakMb: apiPeakKb / 1024,
    workerPeakMb: workerPeakKb / 1024,
    phases:
      toolFirst === null || toolLast === null
        ? null
        : { beforeToolS: toolFirst, toolS: toolLast - toolFirst, afterToolS: wallS - toolLast },
    toolSched: sched.total(),
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

async function main(): Promise<number> {
  if (!existsSync(API_ENTRY)) throw new Error(`${API_ENTRY} is missing: run \`pnpm --filter @dumpstation/api build\``);
  const pgDump = pgBinary('pg_dump', MAJOR);
  const pgRestore = pgBinary('pg_restore', MAJOR);
  const aws = process.env.BENCH_AWS || onPath('aws');
  const age = onPath('age');
  const ageKeygen = onPath('age-keygen');
  const missing = [
    aws ? null : 'aws (the AWS CLI: `pip install awscli`, or `apt-get install awscli`)',
    age && ageKeygen ? null : 'age and age-keygen (`apt-get install age`)',
  ].filter(Boolean);
  const pipelines = missing.length === 0;
  if (!pipelines) {
    log(
      `not installed: ${missing.join('; ')}. The S3 shell-pipeline comparisons are skipped (the API's S3 runs are still measured).`,
    );
  }
  const loadBefore = loadavg();
  log(
    `size ${SIZE_MB} MB, PostgreSQL ${MAJOR} (${pgDump}), ${RUNS} runs each, restore jobs ${RESTORE_JOBS}, ` +
      `roles ${ROLES}, ${cpus().length} CPUs, ${mb(totalmem()).toFixed(0)} MB RAM, load ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
  );

  workDir = await mkdtemp(join(tmpdir(), 'dumpstation-bench-'));
  const work = workDir;
  onCleanup('work dir', () => rm(work, { recursive: true, force: true }));
  const storageRoot = join(work, 'storage');
  const restoreTemp = join(work, 'restore-tmp');
  const pipelineTemp = join(work, 'pipeline-tmp');
  await Promise.all([mkdir(storageRoot), mkdir(restoreTemp), mkdir(pipelineTemp)]);

  // The source server's data dir is ours, so we can find its postmaster (for CPU figures). Checkpoints
  // come from the explicit CHECKPOINTs between restores, not from timers or WAL volume mid-run.
  const sourceDataDir = await mkdtemp(join(tmpdir(), `dumpstation-bench-pg${MAJOR}-`));
  onCleanup('source data dir', () => rm(sourceDataDir, { recursive: true, force: true }));
  log(
    `starting PostgreSQL ${MAJOR} (source and restore target), PostgreSQL 17 (the API's own database), s3rver (own process)`,
  );
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
    startS3Process({ buckets: [BUCKET] }).then((s) => {
      onCleanup('s3rver process', () => s.stop());
      return s;
    }),
  ]);
  pids.postmaster = Number(readFileSync(join(sourceDataDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
  pids.s3 = s3.pid;

  shellEnv = {
    ...process.env,
    LC_ALL: 'C.UTF-8',
    LC_MESSAGES: 'C',
    PGPASSWORD: source.password,
    PGSSLMODE: 'disable',
    PGCONNECT_TIMEOUT: '15',
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    AWS_DEFAULT_REGION: s3.region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };

  log(`building the source database (target ${SIZE_MB} MB)`);
  const generationStart = performance.now();
  const sourceUrl = await source.createDatabase('bench_source');
  const built = await buildSourceDatabase(sourceUrl, SIZE_MB * 1024 * 1024);
  const sourceRows = await rowCounts(sourceUrl);
  log(
    `source database: ${mb(built.bytes).toFixed(0)} MB (pg_database_size), ${built.rows.toLocaleString('en')} rows, ` +
      `built in ${((performance.now() - generationStart) / 1000).toFixed(0)} s`,
  );
  const gb = built.bytes / 1024 ** 3;

  // age keys for the pipelines: the API encrypts to the tenant's key and to this recipient.
  let recipient: string | null = null;
  const identity = join(work, 'age-identity.txt');
  if (pipelines) {
    await runShell([[{ name: 'age-keygen', argv: [ageKeygen!, '-o', identity] }]]);
    recipient = /public key: (age1\w+)/.exec(await readFile(identity, 'utf8'))?.[1] ?? null;
    if (!recipient) throw new Error(`age-keygen wrote no public key to ${identity}`);
  }

  // The API: compiled, as real processes (production's split: APP_ROLE api + worker), on its own PostgreSQL 17.
  const webhookId = `${Date.now()}`.slice(-11);
  const webhookToken = randomBytes(12).toString('base64url');
  const webhookPath = `/webhooks/${webhookId}/${webhookToken}`;
  const databaseUrl = await own.createDatabase('dumpstation');
  const apiEnv = {
    LOG_LEVEL: 'warn',
    APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PG_BIN_DIR_TEMPLATE,
    DISCORD_API_URL: discord.apiBase,
    SYSTEM_USERNAME: 'root',
    SYSTEM_DISCORD_WEBHOOK_URL: `https://discord.com/api${webhookPath}`,
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    JWT_EXPIRATION_MINUTES: '1440',
    STORAGE_LOCAL_ROOT: storageRoot,
    RESTORE_TEMP_DIR: restoreTemp,
    RESTORE_JOBS: String(RESTORE_JOBS),
    MAX_CONCURRENT_BACKUPS: '1',
    ...(CPU_PROF_DIR
      ? {
          NODE_OPTIONS: `--require ${join(__dirname, 'backup-cpu-profile.cjs')}`,
          BENCH_BACKUP_CPU_PROF_DIR: CPU_PROF_DIR,
        }
      : {}),
  };
  const api = await startApiProcess({ databaseUrl, env: { ...apiEnv, APP_ROLE: ROLES === 'split' ? 'api' : 'all' } });
  onCleanup('API process', () => api.stop());
  apiProcesses.push({ name: ROLES === 'split' ? 'API (APP_ROLE=api)' : 'API (APP_ROLE=all)', process: api });
  pids.api = api.process.pid!;
  pids.worker = pids.api;
  if (ROLES === 'split') {
    const worker = await startApiProcess({ databaseUrl, env: { ...apiEnv, APP_ROLE: 'worker' } });
    onCleanup('worker process', () => worker.stop());
    apiProcesses.push({ name: 'worker (APP_ROLE=worker)', process: worker });
    pids.worker = worker.process.pid!;
  }
  const client = new ApiClient(api.url);
  await client.signIn('root', discord, webhookPath);
  const localStorage = await client.call('POST', '/api/v1/storage', { name: 'bench-local', provider: 'local' }, [201]);
  const s3Storage = await client.call(
    'POST',
    '/api/v1/storage',
    {
      name: 'bench-s3',
      provider: 'minio',
      endpoint: s3.endpoint,
      bucket: BUCKET,
      region: s3.region,
      access_key: s3.accessKeyId,
      secret_key: s3.secretAccessKey,
    },
    [201],
  );

  // Databases on the same source: one per comparison. Before the API had a compression setting,
  // every backup was gzip 6: then only that is compared.
  let compressionSetting = true;
  const pgDumpMajor = Number(/\/(\d+)\/bin\/pg_dump$/.exec(pgDump)?.[1] ?? MAJOR);
  const addDatabase = async (name: string, storageId: unknown, compression: Algorithm, extra: object = {}) => {
    const body = {
      name,
      host: source.host,
      port: source.port,
      dbname: 'bench_source',
      user: source.user,
      password: source.password,
      sslmode: 'disable',
      storage_id: storageId,
      ...extra,
    };
    if (compressionSetting) {
      try {
        return await client.call('POST', '/api/v1/databases', { ...body, compression }, [201]);
      } catch (error) {
        if (!/compression should not exist|property compression/.test((error as Error).message)) throw error;
        compressionSetting = false;
        log('this API has no compression setting: it dumps with gzip 6, so only gzip is compared');
      }
    }
    return client.call('POST', '/api/v1/databases', body, [201]);
  };
  const algorithms: Algorithm[] = [GZIP];
  const localDatabases = new Map<Algorithm, Record<string, unknown>>();
  localDatabases.set(GZIP, await addDatabase('bench-local-gzip', localStorage.id, GZIP));
  if (compressionSetting && pgDumpMajor >= 16) {
    algorithms.push(ZSTD);
    localDatabases.set(ZSTD, await addDatabase('bench-local-zstd', localStorage.id, ZSTD));
  } else if (pgDumpMajor < 16) {
    log(
      `pg_dump ${pgDumpMajor} cannot write zstd: run with BENCH_MAJOR=16 or 17 (and \`make pg-clients\`) to compare it`,
    );
  }
  // S3: the API's default for this pg_dump (zstd 3 from pg_dump 16, else gzip 6), and the pipeline the same.
  const s3Compression: Algorithm = compressionSetting && pgDumpMajor >= 16 ? ZSTD : GZIP;
  const s3Database = await addDatabase(
    'bench-s3',
    s3Storage.id,
    s3Compression,
    recipient ? { encryption_recipients: [recipient] } : {},
  );
  log(
    `API ${api.url} (pid ${pids.api}${ROLES === 'split' ? `, worker pid ${pids.worker}` : ''}) signed in; ` +
      `local and S3 (${s3.endpoint}, s3rver pid ${s3.pid}) storage, ${localDatabases.size + 1} databases registered`,
  );

  const conn = ['-h', source.host, '-p', String(source.port), '-U', source.user];
  const endpoint = ['--endpoint-url', s3.endpoint];
  const dumpStage = (c: Algorithm, out: string[] = []): Stage => ({
    name: 'pg_dump',
    argv: [pgDump, '-Fc', compressArg(c), ...conn, ...out, 'bench_source'],
  });

  // Warm-up, untimed: the source's pages in the page cache, every binary loaded once, the S3 path tried.
  log('warm-up: pg_dump -Fc > /dev/null, an API backup, and (with aws) the S3 pipeline');
  await runShell([[dumpStage(GZIP, ['--no-sync', '-f', '/dev/null'])]]);
  await measureApiJob(client, 'backup', () =>
    client.call('POST', `/api/v1/databases/${localDatabases.get(GZIP)!.id}/backup`, undefined, [202]),
  );
  if (pipelines) await runShell([[{ name: 'aws', argv: [aws!, ...endpoint, 's3', 'ls', `s3://${BUCKET}`] }]]);

  const memoryBefore = { api: memoryOf(pids.api), worker: memoryOf(pids.worker) };
  log(
    `RSS before the measured runs: API ${(memoryBefore.api.rssKb / 1024).toFixed(0)} MB` +
      (ROLES === 'split' ? `, worker ${(memoryBefore.worker.rssKb / 1024).toFixed(0)} MB` : ''),
  );
  const machineBefore = machineCpu();

  // ------------------------------------------------ backups, interleaved: baseline then API, each kind
  const localBase = new Map<Algorithm, ShellRun[]>(algorithms.map((a) => [a, []]));
  const localApi = new Map<Algorithm, ApiRun[]>(algorithms.map((a) => [a, []]));
  const s3Base: (ShellRun & { objectBytes: number })[] = [];
  const s3Api: ApiRun[] = [];
  const backupLine = (what: string, seconds: number, extra = '') =>
    `${what.padEnd(44)} ${seconds.toFixed(2).padStart(7)} s${extra ? `  (${extra})` : ''}`;
  // Each pair runs baseline first in odd runs and API first in even ones, so neither side always
  // follows the same operation (whose after-effects, e.g. an S3 upload's writeback, it would inherit).
  const pair = async (i: number, baseline: () => Promise<void>, api: () => Promise<void>) => {
    if (i % 2) {
      await baseline();
      await api();
    } else {
      await api();
      await baseline();
    }
  };
  for (let i = 1; i <= RUNS; i++) {
    for (const algorithm of algorithms) {
      await pair(
        i,
        async () => {
          // --no-sync: pg_dump fsyncs its output file, which /dev/null refuses (EINVAL).
          const base = await runShell([[dumpStage(algorithm, ['--no-sync', '-f', '/dev/null'])]]);
          localBase.get(algorithm)!.push(base);
          log(`run ${i}/${RUNS} ${backupLine(`local ${label(algorithm)}: pg_dump -Fc > /dev/null`, base.wallS)}`);
        },
        async () => {
          const run = await measureApiJob(client, 'backup', () =>
            client.call('POST', `/api/v1/databases/${localDatabases.get(algorithm)!.id}/backup`, undefined, [202]),
          );
          localApi.get(algorithm)!.push(run);
          log(
            `run ${i}/${RUNS} ${backupLine(`local ${label(algorithm)}: API backup`, run.wallS, `stored ${mb(Number(run.job.size_bytes)).toFixed(1)} MB, ${JSON.stringify(run.job.compression ?? null)}`)}`,
          );
        },
      );
    }
    const s3Pipeline = async () => {
      if (!pipelines) return;
      const key = `pipeline/run-${i}.dump.age`;
      const base = await runShell([
        [
          dumpStage(s3Compression),
          { name: 'age', argv: [age!, '-r', recipient!] },
          { name: 'aws', argv: [aws!, ...endpoint, 's3', 'cp', '-', `s3://${BUCKET}/${key}`] },
        ],
      ]);
      const objectBytes =
        (
          await stat(
            join(s3.directory, BUCKET, ...key.split('/').slice(0, -1), `${key.split('/').pop()}._S3rver_object`),
          ).catch(() => null)
        )?.size ?? NaN;
      s3Base.push({ ...base, objectBytes });
      log(`run ${i}/${RUNS} ${backupLine(`S3 ${label(s3Compression)}: pg_dump | age | aws s3 cp`, base.wallS)}`);
    };
    await pair(i, s3Pipeline, async () => {
      const run = await measureApiJob(client, 'backup', () =>
        client.call('POST', `/api/v1/databases/${s3Database.id}/backup`, undefined, [202]),
      );
      s3Api.push(run);
      log(
        `run ${i}/${RUNS} ${backupLine(`S3 ${label(s3Compression)}: API backup (encrypted)`, run.wallS, `stored ${mb(Number(run.job.size_bytes)).toFixed(1)} MB`)}`,
      );
    });
  }
  const s3BackupId = s3Api[s3Api.length - 1].job.id as string;

  // ------------------------------------------------ restores from S3 into fresh databases
  const s3RestoreBase: ShellRun[] = [];
  const s3RestoreApi: ApiRun[] = [];
  const restoredRows: string[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const pipelineRestore = async () => {
      if (!pipelines) return;
      const db = `bench_pipeline_restore_${i}`;
      const file = join(pipelineTemp, 'archive.dump');
      await sql(source.adminUrl, 'CHECKPOINT');
      // CREATE DATABASE is part of it, as in the API's restore (create: true).
      const t0 = performance.now();
      await sql(source.adminUrl, `CREATE DATABASE ${db}`);
      const createS = (performance.now() - t0) / 1000;
      // pg_restore --jobs needs a file it can seek in (not a pipe): the API copies to one too.
      const base = await runShell(
        [
          [
            { name: 'aws', argv: [aws!, ...endpoint, 's3', 'cp', `s3://${BUCKET}/pipeline/run-${RUNS}.dump.age`, '-'] },
            { name: 'age', argv: [age!, '-d', '-i', identity, '-o', file] },
          ],
          [
            {
              name: 'pg_restore',
              argv: [
                pgRestore,
                '--exit-on-error',
                '--no-owner',
                '--no-privileges',
                ...(RESTORE_JOBS > 1 ? [`--jobs=${RESTORE_JOBS}`] : []),
                ...conn,
                '-d',
                db,
                file,
              ],
            },
          ],
        ],
        createS,
      );
      await rm(file, { force: true });
      s3RestoreBase.push(base);
      restoredRows.push(await rowCounts(source.urlFor(db)));
      await sql(source.adminUrl, `DROP DATABASE ${db}`);
      log(`run ${i}/${RUNS} ${backupLine(`S3 restore: aws s3 cp | age -d; pg_restore -j${RESTORE_JOBS}`, base.wallS)}`);
    };
    const apiRestore = async () => {
      const db = `bench_api_restore_${i}`;
      await sql(source.adminUrl, 'CHECKPOINT');
      const run = await measureApiJob(client, 'restore', () =>
        client.call(
          'POST',
          `/api/v1/backups/${s3BackupId}/restore`,
          {
            target_host: source.host,
            target_port: source.port,
            target_dbname: db,
            target_user: source.user,
            target_password: source.password,
            target_sslmode: 'disable',
            create: true,
          },
          [202],
        ),
      );
      s3RestoreApi.push(run);
      restoredRows.push(await rowCounts(source.urlFor(db)));
      await sql(source.adminUrl, `DROP DATABASE ${db}`);
      log(`run ${i}/${RUNS} ${backupLine('S3 restore: API (create: true)', run.wallS)}`);
    };
    await pair(i, pipelineRestore, apiRestore);
  }
  await sql(source.adminUrl, 'CHECKPOINT');
  const wrongRows = restoredRows.filter((rows) => rows !== sourceRows);
  if (wrongRows.length) throw new JobFailed(`restored row counts ${wrongRows.join(', ')} differ from ${sourceRows}`);

  // ------------------------------------------------ the summary
  const machineAfter = machineCpu();
  const loadAfter = loadavg();
  const machineTicks = machineAfter.total - machineBefore.total || 1;
  const stealPct = (100 * (machineAfter.steal - machineBefore.steal)) / machineTicks;
  const iowaitPct = (100 * (machineAfter.iowait - machineBefore.iowait)) / machineTicks;
  const allApiRuns = [...[...localApi.values()].flat(), ...s3Api, ...s3RestoreApi];
  const peak = {
    api: Math.max(...allApiRuns.map((r) => r.apiPeakMb)),
    worker: Math.max(...allApiRuns.map((r) => r.workerPeakMb)),
  };
  const growth = {
    api: peak.api - memoryBefore.api.rssKb / 1024,
    worker: peak.worker - memoryBefore.worker.rssKb / 1024,
  };

  const wall = (runs: { wallS: number }[]) => median(runs.map((r) => r.wallS));
  const ratio = (api: { wallS: number }[], base: { wallS: number }[]) => (base.length ? wall(api) / wall(base) : NaN);
  const verdict = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? 'met' : 'NOT met');
  const seconds = (runs: { wallS: number }[]) =>
    runs.length ? `${wall(runs).toFixed(2)} s (${runs.map((r) => r.wallS.toFixed(2)).join(' / ')})` : 'skipped';

  interface Row {
    name: string;
    value: string;
    target: string;
    note: string;
  }
  const rows: Row[] = [];
  const summary: Record<string, unknown> = {};
  const met: Record<string, boolean | null> = {};
  const compare = (
    key: string,
    name: string,
    api: ApiRun[],
    base: ShellRun[],
    baseName: string,
    target: number,
    relation: '<=' | '>=',
  ) => {
    const r = ratio(api, base);
    const ok = Number.isFinite(r) ? (relation === '<=' ? r <= target : r >= target) : null;
    summary[key] = {
      api_queue_s: round(median(api.map((x) => x.queueS))),
      baseline_s: base.length ? round(wall(base)) : null,
      api_s: round(wall(api)),
      ratio: Number.isFinite(r) ? round(r, 3) : null,
    };
    met[key] = ok;
    rows.push({ name: `${name}: ${baseName}`, value: seconds(base), target: '', note: 'median (runs)' });
    rows.push({ name: `${name}: API`, value: seconds(api), target: '', note: 'request to finished_at' });
    const withoutQueue = base.length ? median(api.map((x) => x.wallS - x.queueS)) / wall(base) : NaN;
    rows.push({
      name: `${name}: API / baseline`,
      value: Number.isFinite(r) ? r.toFixed(3) : 'n/a',
      target: `${relation} ${target.toFixed(2)}: ${verdict(ok)}`,
      note: Number.isFinite(withoutQueue)
        ? `${withoutQueue.toFixed(3)} from the job's started_at (without the queue's pick-up)`
        : '',
    });
    // All the CPU both sides spend (tools, worker, API, s3rver, PostgreSQL): what other load on the
    // machine cannot skew the way it skews wall time.
    const apiCpu = median(api.map((x) => totalCpu(x.cpu)));
    const baseCpu = base.length ? median(base.map((x) => totalCpu(x.cpu))) : NaN;
    (summary[key] as Record<string, unknown>).cpu_s_per_gb = {
      api: round(apiCpu / gb, 1),
      baseline: Number.isFinite(baseCpu) ? round(baseCpu / gb, 1) : null,
    };
    rows.push({
      name: `${name}: all CPU, API vs baseline`,
      value: Number.isFinite(baseCpu)
        ? `${(apiCpu / gb).toFixed(1)} vs ${(baseCpu / gb).toFixed(1)} s/GB (${(apiCpu / baseCpu).toFixed(2)}x)`
        : `${(apiCpu / gb).toFixed(1)} s/GB`,
      target: '',
      note: 'every process of both sides, incl. s3rver and PostgreSQL',
    });
  };
  for (const algorithm of algorithms) {
    compare(
      `local_backup_${algorithm.algorithm}`,
      `local backup ${label(algorithm)}`,
      localApi.get(algorithm)!,
      localBase.get(algorithm)!,
      'pg_dump -Fc > /dev/null',
      TARGETS.localBackupRatio,
      '<=',
    );
  }
  compare(
    's3_backup',
    `S3 backup ${label(s3Compression)}`,
    s3Api,
    s3Base,
    'pg_dump | age | aws s3 cp',
    TARGETS.s3BackupRatio,
    '<=',
  );
  compare(
    's3_restore',
    'S3 restore',
    s3RestoreApi,
    s3RestoreBase,
    `aws s3 cp | age -d; pg_restore -j${RESTORE_JOBS}`,
    TARGETS.s3RestoreRatio,
    '<=',
  );
  // zstd vs gzip: the API's own backups of the same database to local storage.
  const storedMb = (runs: ApiRun[]) => mb(median(runs.map((r) => Number(r.job.size_bytes))));
  if (algorithms.includes(ZSTD)) {
    const speedup = wall(localApi.get(GZIP)!) / wall(localApi.get(ZSTD)!);
    met.zstd_speedup = speedup >= TARGETS.zstdSpeedup;
    summary.zstd_vs_gzip = {
      gzip_s: round(wall(localApi.get(GZIP)!)),
      zstd_s: round(wall(localApi.get(ZSTD)!)),
      speedup: round(speedup, 3),
      gzip_stored_mb: round(storedMb(localApi.get(GZIP)!), 1),
      zstd_stored_mb: round(storedMb(localApi.get(ZSTD)!), 1),
    };
    rows.push({
      name: 'zstd-3 vs gzip-6: API backup speed-up',
      value: `${speedup.toFixed(2)}x (${wall(localApi.get(GZIP)!).toFixed(2)} s / ${wall(localApi.get(ZSTD)!).toFixed(2)} s)`,
      target: `>= ${TARGETS.zstdSpeedup.toFixed(2)}: ${verdict(met.zstd_speedup)}`,
      note: 'gzip time / zstd time, local',
    });
    rows.push({
      name: 'zstd-3 vs gzip-6: stored size',
      value: `${storedMb(localApi.get(ZSTD)!).toFixed(1)} MB vs ${storedMb(localApi.get(GZIP)!).toFixed(1)} MB`,
      target: '',
      note: `zstd / gzip ${(storedMb(localApi.get(ZSTD)!) / storedMb(localApi.get(GZIP)!)).toFixed(3)}; database ${mb(built.bytes).toFixed(0)} MB`,
    });
  } else {
    met.zstd_speedup = null;
    rows.push({ name: 'zstd-3 vs gzip-6', value: 'skipped', target: verdict(null), note: `pg_dump ${pgDumpMajor}` });
  }
  if (s3Base.length) {
    rows.push({
      name: 'S3 stored size: API vs pipeline',
      value: `${storedMb(s3Api).toFixed(1)} MB vs ${mb(median(s3Base.map((r) => r.objectBytes))).toFixed(1)} MB`,
      target: '',
      note: 'the API encrypts to 2 recipients (tenant key + the bench key)',
    });
  }
  met.rss_growth = growth.api < TARGETS.rssGrowthMb && growth.worker < TARGETS.rssGrowthMb;
  summary.rss = {
    api_before_mb: round(memoryBefore.api.rssKb / 1024, 0),
    api_peak_mb: round(peak.api, 0),
    worker_before_mb: round(memoryBefore.worker.rssKb / 1024, 0),
    worker_peak_mb: round(peak.worker, 0),
  };
  const rssValue = (before: number, top: number) =>
    `${(before / 1024).toFixed(0)} -> ${top.toFixed(0)} MB (${top - before / 1024 >= 0 ? '+' : ''}${(top - before / 1024).toFixed(0)})`;
  if (ROLES === 'split') {
    rows.push({
      name: 'peak RSS, API process',
      value: rssValue(memoryBefore.api.rssKb, peak.api),
      target: '',
      note: 'VmRSS before the runs -> VmHWM during them',
    });
    rows.push({
      name: 'peak RSS, worker process',
      value: rssValue(memoryBefore.worker.rssKb, peak.worker),
      target: `growth < ${TARGETS.rssGrowthMb} MB: ${verdict(met.rss_growth)}`,
      note: 'runs the jobs (backup in a worker_thread)',
    });
  } else {
    rows.push({
      name: 'peak RSS, API+worker process',
      value: rssValue(memoryBefore.api.rssKb, peak.api),
      target: `growth < ${TARGETS.rssGrowthMb} MB: ${verdict(met.rss_growth)}`,
      note: 'VmRSS before the runs -> VmHWM during them',
    });
  }
  // CPU seconds per GB of database (pg_database_size), median over runs, by process.
  const perGb = (values: number[]) => (median(values) / gb).toFixed(1);
  const apiCpuCell = (runs: ApiRun[], tool: string) => {
    const parts = [`${tool} ${perGb(runs.map((r) => r.cpu.tool))}`];
    parts.push(
      `${ROLES === 'split' ? 'worker' : 'api'} ${perGb(runs.map((r) => r.cpu.worker))}` +
        ` (main ${perGb(runs.map((r) => r.cpu.workerMain))}, backup thread ${perGb(runs.map((r) => r.cpu.workerEndedThreads))}, ` +
        `helpers ${perGb(runs.map((r) => r.cpu.worker - r.cpu.workerMain - r.cpu.workerEndedThreads))})`,
    );
    if (ROLES === 'split') parts.push(`api ${perGb(runs.map((r) => r.cpu.api))}`);
    parts.push(`s3rver ${perGb(runs.map((r) => r.cpu.s3rver))}`, `postgres ${perGb(runs.map((r) => r.cpu.postgres))}`);
    return parts.join(', ');
  };
  const shellCpuCell = (runs: ShellRun[]) => {
    const names = Object.keys(runs[0].stageCpuS);
    return [
      ...names.map((n) => `${n} ${perGb(runs.map((r) => r.stageCpuS[n]))}`),
      `s3rver ${perGb(runs.map((r) => r.cpu.s3rver))}`,
      `postgres ${perGb(runs.map((r) => r.cpu.postgres))}`,
    ].join(', ');
  };
  const cpuRows: [string, string][] = [];
  for (const algorithm of algorithms) {
    cpuRows.push([`local ${label(algorithm)}, pg_dump > /dev/null`, shellCpuCell(localBase.get(algorithm)!)]);
    cpuRows.push([`local ${label(algorithm)}, API`, apiCpuCell(localApi.get(algorithm)!, 'pg_dump')]);
  }
  if (s3Base.length) cpuRows.push(['S3 backup, pipeline', shellCpuCell(s3Base)]);
  cpuRows.push(['S3 backup, API', apiCpuCell(s3Api, 'pg_dump')]);
  if (s3RestoreBase.length) cpuRows.push(['S3 restore, pipeline', shellCpuCell(s3RestoreBase)]);
  cpuRows.push(['S3 restore, API', apiCpuCell(s3RestoreApi, 'pg_restore')]);
  for (const [name, value] of cpuRows) rows.push({ name: `CPU s/GB, ${name}`, value, target: '', note: '' });
  // Where an API job's wall time goes: queue pick-up, the runner before the pg tool, the tool, after it.
  const phases = (runs: ApiRun[], tool: string) => {
    const seen = runs.filter((r) => r.phases !== null);
    if (!seen.length) return 'not observed';
    const m = (pick: (r: ApiRun, p: NonNullable<ApiRun['phases']>) => number) =>
      median(seen.map((r) => pick(r, r.phases!))).toFixed(2);
    return (
      `queue ${m((r) => r.queueS)} + ${m((r, p) => p.beforeToolS - r.queueS)} + ` +
      `${tool} ${m((_r, p) => p.toolS)} + ${m((_r, p) => p.afterToolS)} s`
    );
  };
  const phaseRows: [string, ApiRun[], string][] = [
    ...algorithms.map((a): [string, ApiRun[], string] => [`local ${label(a)} backup`, localApi.get(a)!, 'pg_dump']),
    ['S3 backup', s3Api, 'pg_dump'],
    ['S3 restore', s3RestoreApi, 'pg_restore'],
  ];
  for (const [name, runs, tool] of phaseRows) {
    rows.push({
      name: `API phases, ${name}`,
      value: phases(runs, tool),
      target: '',
      note:
        tool === 'pg_restore'
          ? 'queue + fetch, decrypt, verify, CREATE DATABASE + pg_restore + after'
          : 'queue + before pg_dump + pg_dump (sampled) + after',
    });
  }
  // How long the pg tools waited for a CPU: what other load on the machine does to each side.
  const schedCell = (runs: { toolSched: { runS: number; waitS: number } | null }[]) => {
    const seen = runs.map((r) => r.toolSched).filter((x) => x !== null);
    if (!seen.length) return 'not observed';
    return `on CPU ${median(seen.map((x) => x.runS)).toFixed(1)} s, waiting for one ${median(seen.map((x) => x.waitS)).toFixed(1)} s`;
  };
  const schedRows: [string, { toolSched: { runS: number; waitS: number } | null }[]][] = [
    ...algorithms.flatMap((a): [string, { toolSched: { runS: number; waitS: number } | null }[]][] => [
      [`local ${label(a)}, pg_dump > /dev/null`, localBase.get(a)!],
      [`local ${label(a)}, API`, localApi.get(a)!],
    ]),
    ...(s3Base.length ? [['S3 backup, pipeline', s3Base] as [string, ShellRun[]]] : []),
    ['S3 backup, API', s3Api],
  ];
  for (const [name, runs] of schedRows) {
    rows.push({
      name: `pg_dump sched, ${name}`,
      value: schedCell(runs),
      target: '',
      note: '/proc/<pid>/schedstat, median',
    });
  }
  rows.push({
    name: 'machine',
    value: `${cpus().length} CPUs, load ${loadBefore[0].toFixed(2)} before / ${loadAfter[0].toFixed(2)} after`,
    target: '',
    note: `steal ${stealPct.toFixed(1)}%, iowait ${iowaitPct.toFixed(1)}% during the runs`,
  });
  rows.push({
    name: 'CPU s/GB, other processes',
    value: perGb(allApiRuns.map((r) => r.cpu.otherBusy)),
    target: '',
    note: 'busy CPU not ours during API jobs (other load; the bench itself)',
  });

  const widths = [
    Math.max(...rows.map((r) => r.name.length)),
    Math.min(90, Math.max(...rows.map((r) => r.value.length))),
    Math.max(...rows.map((r) => r.target.length)),
  ];
  const line = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  process.stdout.write(
    `\nDumpStation backup/restore benchmark: ${mb(built.bytes).toFixed(0)} MB database (PostgreSQL ${MAJOR}, ${built.rows.toLocaleString('en')} rows), ` +
      `median of ${RUNS} runs, ${pgDump}\n${line}\n`,
  );
  for (const row of rows) {
    process.stdout.write(
      `| ${row.name.padEnd(widths[0])} | ${row.value.padEnd(widths[1])} | ${row.target.padEnd(widths[2])} |${row.note ? ` ${row.note}` : ''}\n`,
    );
  }
  process.stdout.write(`${line}\n`);

  const results = {
    at: new Date().toISOString(),
    options: { size_mb: SIZE_MB, major: MAJOR, runs: RUNS, restore_jobs: RESTORE_JOBS, roles: ROLES },
    machine: {
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model,
      memory_mb: round(mb(totalmem()), 0),
      load_before: loadBefore,
      load_after: loadAfter,
      steal_pct: round(stealPct),
      iowait_pct: round(iowaitPct),
    },
    node: process.version,
    pg_dump: pgDump,
    pg_restore: pgRestore,
    aws,
    age,
    source: { bytes: built.bytes, rows: built.rows },
    targets: TARGETS,
    summary,
    met,
    table: rows,
    runs: {
      local_baseline: Object.fromEntries([...localBase].map(([a, r]) => [label(a), r])),
      local_api: Object.fromEntries(
        [...localApi].map(([a, r]) => [
          label(a),
          r.map(({ job, ...rest }) => ({ ...rest, size_bytes: job.size_bytes, compression: job.compression })),
        ]),
      ),
      s3_baseline: s3Base,
      s3_api: s3Api.map(({ job, ...rest }) => ({ ...rest, size_bytes: job.size_bytes })),
      s3_restore_baseline: s3RestoreBase,
      s3_restore_api: s3RestoreApi.map(({ job: _job, ...rest }) => rest),
    },
  };
  await mkdir(join(__dirname, 'results'), { recursive: true });
  let text = `${JSON.stringify(results, null, 2)}\n`;
  try {
    // As the repository's prettier would write it, so `pnpm run lint` (prettier --check .) passes over it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const prettier = require('prettier') as {
      resolveConfig(file: string): Promise<object | null>;
      format(text: string, options: object): Promise<string>;
    };
    text = await prettier.format(text, { ...(await prettier.resolveConfig(RESULTS_FILE)), parser: 'json' });
  } catch {
    // no prettier: plain JSON
  }
  await writeFile(RESULTS_FILE, text);
  log(`results written to ${RESULTS_FILE}`);
  return 0;
}

main()
  .then(
    (code) => code,
    (error: unknown) => {
      process.stderr.write(`\nbench ${error instanceof JobFailed ? 'FAILED' : 'error'}: ${(error as Error).stack}\n`);
      for (const { name, process: proc } of apiProcesses) {
        const output = proc.output().trim();
        if (output) process.stderr.write(`\nend of the ${name} log:\n${output.slice(-4_000)}\n`);
      }
      return 1;
    },
  )
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  });
