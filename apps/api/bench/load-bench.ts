// The API under load (`pnpm bench`, after the backup bench; alone: `BENCH_ONLY=load pnpm bench` or
// `pnpm --filter @dumpstation/api bench:load`). autocannon on loopback, every scenario bounded in time:
//   a. a read mix (list/get of databases, backups, storage, notifications, stats) with an API token,
//      at 50 and at 200 connections: requests/s, p50, p95, p99;
//   b. 200 connections, 20 % of the requests create/delete writes (POST /databases, DELETE /databases/{id});
//   c. the read mix at 50 connections while backups run back to back, against the same mix just before
//      (the p50 shift, in %);
//   d. GET /databases/{id}/backups with 100,000 backup rows of that database (inserted with SQL).
// A measurement, not a test: it exits 0 whether or not the targets are met, and non-zero only when the
// setup breaks or a request errors (a non-2xx answer, a socket error or a timeout).
//
// Options (environment or arguments): BENCH_LOAD_SECONDS / --load-seconds (10 per scenario),
// BENCH_LOAD_ROLES / --load-roles (all: one APP_ROLE=all process, the default configuration; split: an
// APP_ROLE=api process under load and an APP_ROLE=worker process running the backups),
// BENCH_LOAD_SCENARIOS / --load-scenarios (comma-separated subset of read50,backup,read200,writes,list100k),
// BENCH_LOAD_MAJOR / --load-major (15: the server backed up in c), BENCH_LOAD_SOURCE_MB (60),
// BENCH_LOAD_LOG_LEVEL / --load-log-level (info, as production: a log line per request),
// BENCH_CPU_PROF / --cpu-prof (a folder: the API's V8 CPU profile of each measured scenario goes there,
// api-<pid>-<n>.cpuprofile, through the preload cpu-profile.cjs), BENCH_LOAD_STATEMENTS=1 (the service
// database's statements per request in each scenario, from pg_stat_statements).
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import {
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
  cleanUp,
  cleanUpOnSignals,
  cpuOf,
  machineCpu,
  onCleanup,
  percentile,
  sleep,
  roundTo,
} from './support';

// ---------------------------------------------------------------- options

const SECONDS = positiveInt('BENCH_LOAD_SECONDS', option('load-seconds', 'BENCH_LOAD_SECONDS', '10'));
const ROLES = option('load-roles', 'BENCH_LOAD_ROLES', 'all');
if (ROLES !== 'split' && ROLES !== 'all') throw new Error(`BENCH_LOAD_ROLES must be split or all (got "${ROLES}")`);
const SCENARIOS = ['read50', 'backup', 'read200', 'writes', 'list100k'] as const;
type Scenario = (typeof SCENARIOS)[number];
const chosen = option('load-scenarios', 'BENCH_LOAD_SCENARIOS', SCENARIOS.join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const s of chosen) {
  if (!(SCENARIOS as readonly string[]).includes(s)) {
    throw new Error(`BENCH_LOAD_SCENARIOS: unknown scenario "${s}" (known: ${SCENARIOS.join(', ')})`);
  }
}
const runs = (s: Scenario) => chosen.includes(s);
const MAJOR = positiveInt('BENCH_LOAD_MAJOR', option('load-major', 'BENCH_LOAD_MAJOR', '15'));
const SOURCE_MB = positiveInt('BENCH_LOAD_SOURCE_MB', option('load-source-mb', 'BENCH_LOAD_SOURCE_MB', '60'));
const CPU_PROF = option('cpu-prof', 'BENCH_CPU_PROF', '');
// pg_stat_statements in the service database: each scenario's statements per request.
const STATEMENTS = option('load-statements', 'BENCH_LOAD_STATEMENTS', '') === '1';
const HISTORY_ROWS = 100_000;
const WARMUP_S = 3;

const TARGETS = {
  readRps: 1500,
  readP95At50Ms: 100,
  backupP50ShiftPct: 25,
  list100kP95Ms: 20,
};

// ---------------------------------------------------------------- small helpers

const log = benchLog('load');
cleanUpOnSignals(log);
const round = roundTo(1);

/** Busy and total ticks of the machine, to say how loaded it was meanwhile. */
function machineTicks(): { busy: number; total: number } {
  const { total, idle, iowait } = machineCpu();
  return { busy: total - idle - iowait, total };
}

class SetupError extends Error {}

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
    if (!expected.includes(response.status)) {
      throw new SetupError(`${method} ${path} answered ${response.status}: ${text}`);
    }
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
      if (Date.now() > deadline) throw new SetupError(`no sign-in code for ${username} reached the Discord stand-in`);
      await sleep(50);
    }
  }

  async waitForBackup(id: string, until: () => boolean = () => false): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      const job = await this.call('GET', `/api/v1/backups/${id}`);
      if (job.status === 'success' || job.status === 'failed' || until()) return job;
      if (Date.now() > deadline) throw new SetupError(`backup ${id} still ${job.status} after 10 minutes`);
      await sleep(250);
    }
  }
}

// ---------------------------------------------------------------- load

type Req = autocannon.Request;

interface LoadResult {
  name: string;
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Answers outside 2xx by status, plus socket errors and timeouts. */
  bad: Record<string, number>;
  /** Service-database transactions (pg_stat_database.xact_commit) per request. */
  xactsPerRequest: number;
  /** CPU seconds of the API process per 1,000 requests. */
  apiCpuMsPerRequest: number;
  /** Share of the machine's CPU busy meanwhile (all processes). */
  machineBusyPct: number;
}

interface LoadContext {
  url: string;
  token: string;
  apiPid: number;
  serviceDb: Client;
  serviceDbName: string;
  /** The API was started with cpu-profile.cjs: SIGUSR2 starts and stops its profiler. */
  profile: boolean;
}

async function xactCommits(ctx: LoadContext): Promise<number> {
  const { rows } = await ctx.serviceDb.query<{ n: string }>(
    'SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = $1',
    [ctx.serviceDbName],
  );
  return Number(rows[0].n);
}

async function load(
  ctx: LoadContext,
  name: string,
  connections: number,
  seconds: number,
  requests: Req[],
  quiet = false,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const bad: Record<string, number> = {};
  // pg_stat_database is updated when a backend reports (at most every 500 ms, and at idle): wait it out.
  await sleep(1100);
  const xactBefore = await xactCommits(ctx);
  const cpuBefore = cpuOf(ctx.apiPid).own;
  const machineBefore = machineTicks();
  if (STATEMENTS) await ctx.serviceDb.query('SELECT pg_stat_statements_reset()');
  if (ctx.profile && !quiet) process.kill(ctx.apiPid, 'SIGUSR2');
  const instance = autocannon({
    url: ctx.url,
    connections,
    duration: seconds,
    timeout: 30,
    headers: { authorization: `Bearer ${ctx.token}`, 'content-type': 'application/json' },
    requests,
    initialContext: {},
    // Without a callback the instance is both the event emitter and a thenable of the result.
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    if (statusCode < 200 || statusCode >= 300) bad[String(statusCode)] = (bad[String(statusCode)] ?? 0) + 1;
  });
  const result = await instance;
  const cpuAfter = cpuOf(ctx.apiPid).own;
  const machineAfter = machineTicks();
  if (ctx.profile && !quiet) process.kill(ctx.apiPid, 'SIGUSR2');
  await sleep(1100);
  const xactAfter = await xactCommits(ctx);
  if (result.errors) bad.errors = result.errors;
  if (result.timeouts) bad.timeouts = result.timeouts;
  latencies.sort((a, b) => a - b);
  const total = latencies.length;
  const out: LoadResult = {
    name,
    connections,
    seconds: result.duration,
    requests: total,
    rps: total / result.duration,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[total - 1] ?? NaN,
    bad,
    // The bench's own pg_stat_database reads are 2 transactions; negligible against thousands of requests.
    xactsPerRequest: (xactAfter - xactBefore) / Math.max(1, total),
    apiCpuMsPerRequest: ((cpuAfter - cpuBefore) * 1000) / Math.max(1, total),
    machineBusyPct:
      (100 * (machineAfter.busy - machineBefore.busy)) / Math.max(1, machineAfter.total - machineBefore.total),
  };
  if (STATEMENTS && !quiet) {
    const { rows } = await ctx.serviceDb.query<{ calls: string; ms: number; query: string }>(
      `SELECT calls::text, mean_exec_time AS ms, regexp_replace(query, '\\s+', ' ', 'g') AS query
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1)
       ORDER BY pg_stat_statements.calls DESC LIMIT 15`,
      [ctx.serviceDbName],
    );
    log(`${name}: statements per request (pg_stat_statements), mean server time`);
    for (const r of rows) {
      process.stdout.write(
        `    ${(Number(r.calls) / Math.max(1, total)).toFixed(2).padStart(6)}  ${r.ms.toFixed(3).padStart(7)} ms  ${r.query.slice(0, 150)}\n`,
      );
    }
  }
  if (!quiet) {
    log(
      `${name.padEnd(44)} ${String(connections).padStart(3)} conn  ${out.rps.toFixed(0).padStart(5)} req/s  ` +
        `p50 ${out.p50.toFixed(1)} ms  p95 ${out.p95.toFixed(1)} ms  p99 ${out.p99.toFixed(1)} ms  ` +
        `${out.xactsPerRequest.toFixed(2)} xacts/req  API ${out.apiCpuMsPerRequest.toFixed(2)} CPU ms/req  ` +
        `machine ${out.machineBusyPct.toFixed(0)} % busy` +
        (Object.keys(bad).length ? `  BAD ${JSON.stringify(bad)}` : ''),
    );
  }
  return out;
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  log(
    `${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${SECONDS} s per scenario; APP_ROLE ${ROLES}; scenarios ${chosen.join(', ')}`,
  );
  const work = await mkdtemp(join(tmpdir(), 'dumpstation-load-'));
  onCleanup('work dir', () => rm(work, { recursive: true, force: true }));
  const storageRoot = join(work, 'storage');
  await mkdir(storageRoot);

  log(`starting PostgreSQL 17 (the API's own database), PostgreSQL ${MAJOR} (backed up), the Discord stand-in`);
  const [own, source, discord] = await Promise.all([
    startPostgres({
      major: 17,
      postgresFlags: STATEMENTS ? ['-c', 'shared_preload_libraries=pg_stat_statements'] : undefined,
    }).then((pg) => (onCleanup('PostgreSQL 17', () => pg.stop()), pg)),
    startPostgres({ major: MAJOR }).then((pg) => (onCleanup(`PostgreSQL ${MAJOR}`, () => pg.stop()), pg)),
    startDiscordStandIn().then((d) => (onCleanup('Discord stand-in', () => d.stop()), d)),
  ]);

  // The database backed up during scenario c: generated rows, dumped in a few seconds each time.
  const sourceUrl = await source.createDatabase('load_source');
  {
    const pg = new Client({ connectionString: sourceUrl });
    await pg.connect();
    await pg.query('CREATE TABLE items (id bigint PRIMARY KEY, label text NOT NULL, payload text NOT NULL)');
    // ~130 bytes a row on disk; md5 text compresses about as well as real data does.
    const rows = Math.round((SOURCE_MB * 1024 * 1024) / 130);
    await pg.query(
      `INSERT INTO items SELECT g, 'item ' || g, md5(g::text) || md5((g * 7)::text) FROM generate_series(1, $1) g`,
      [rows],
    );
    const { rows: size } = await pg.query<{ mb: string }>(
      'SELECT round(pg_database_size(current_database()) / 1048576.0)::text AS mb',
    );
    await pg.end();
    log(`source database: ${size[0].mb} MB, ${rows.toLocaleString('en')} rows`);
  }

  const webhookId = `${Date.now()}`.slice(-11);
  const webhookToken = randomBytes(12).toString('base64url');
  const webhookPath = `/webhooks/${webhookId}/${webhookToken}`;
  const serviceDbName = 'dumpstation';
  const databaseUrl = await own.createDatabase(serviceDbName);
  const apiEnv = {
    // info: what production logs, one line per request (pino) included.
    LOG_LEVEL: option('load-log-level', 'BENCH_LOAD_LOG_LEVEL', 'info'),
    APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PG_BIN_DIR_TEMPLATE: process.env.PG_BIN_DIR_TEMPLATE || testPgBinDirTemplate(),
    DISCORD_API_URL: discord.apiBase,
    SYSTEM_USERNAME: 'root',
    SYSTEM_DISCORD_WEBHOOK_URL: `https://discord.com/api${webhookPath}`,
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    JWT_EXPIRATION_MINUTES: '1440',
    STORAGE_LOCAL_ROOT: storageRoot,
    MAX_CONCURRENT_BACKUPS: '1',
  };
  let profileDir = '';
  if (CPU_PROF) {
    profileDir = resolve(CPU_PROF);
    await mkdir(profileDir, { recursive: true });
  }
  const api: ApiProcess = await startApiProcess({
    databaseUrl,
    env: {
      ...apiEnv,
      APP_ROLE: ROLES === 'split' ? 'api' : 'all',
      ...(profileDir
        ? { NODE_OPTIONS: `--require ${join(__dirname, 'cpu-profile.cjs')}`, BENCH_CPU_PROF_DIR: profileDir }
        : {}),
    },
  });
  onCleanup('API process', () => api.stop());
  if (ROLES === 'split') {
    const worker = await startApiProcess({ databaseUrl, env: { ...apiEnv, APP_ROLE: 'worker' } });
    onCleanup('worker process', () => worker.stop());
  }
  // The API logs a line per request (as in production): keep only the tail, not hundreds of MB in
  // the harness's buffer, whose string concatenation would cost the load generator CPU.
  let tail = api.output().slice(-8000);
  for (const stream of [api.process.stdout!, api.process.stderr!]) {
    stream.removeAllListeners('data');
    stream.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString('utf8')).slice(-8000)));
  }
  const apiOutput = () => tail;

  const client = new ApiClient(api.url);
  await client.signIn('root', discord, webhookPath);
  const storage = await client.call('POST', '/api/v1/storage', { name: 'load-local', provider: 'local' }, [201]);
  const notification = await client.call(
    'POST',
    '/api/v1/notifications',
    {
      name: 'load-discord',
      discord_webhook_url: `https://discord.com/api/webhooks/1/${randomBytes(8).toString('hex')}`,
    },
    [201],
  );
  const databaseBody = (name: string) => ({
    name,
    host: source.host,
    port: source.port,
    dbname: 'load_source',
    user: source.user,
    password: source.password,
    sslmode: 'disable',
    storage_id: storage.id,
  });
  const databases: Record<string, unknown>[] = [];
  for (let i = 1; i <= 5; i++)
    databases.push(await client.call('POST', '/api/v1/databases', databaseBody(`load-db-${i}`), [201]));
  const busy = databases[0];

  // One real backup (the pipeline works, the history has a real row), then a history of 30 per database.
  const first = await client.call('POST', `/api/v1/databases/${busy.id}/backup`, undefined, [202]);
  const firstDone = await client.waitForBackup(String(first.id));
  if (firstDone.status !== 'success') throw new SetupError(`the first backup failed: ${firstDone.error_message}`);
  log(`first backup: ${firstDone.duration_ms} ms, ${firstDone.size_bytes} bytes`);

  const serviceDb = new Client({ connectionString: databaseUrl });
  await serviceDb.connect();
  onCleanup('service database client', () => serviceDb.end());
  if (STATEMENTS) await serviceDb.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const insertHistory = (databaseId: unknown, rows: number) =>
    serviceDb.query(
      `INSERT INTO backups (id, tenant_id, database_id, storage_id, status, trigger, name, object_key,
                            started_at, finished_at, duration_ms, size_bytes, bytes_processed, sha256,
                            object_sha256, dump_size_bytes, server_version, pg_dump_version, created_at, updated_at)
       SELECT gen_random_uuid(), d.tenant_id, d.id, d.storage_id, 'success', 'scheduled',
              'history-' || g, 'history/' || g || '.dump',
              now() - g * interval '1 hour', now() - g * interval '1 hour' + interval '3 seconds', 3000,
              1048576, 1048576, repeat('a', 64), repeat('a', 64), 1048576, '15.0', '15.0',
              now() - g * interval '1 hour', now() - g * interval '1 hour'
       FROM databases d, generate_series(1, $2::int) g WHERE d.id = $1`,
      [databaseId, rows],
    );
  for (const db of databases) await insertHistory(db.id, 30);
  const { rows: someBackup } = await serviceDb.query<{ id: string }>(
    'SELECT id FROM backups WHERE database_id = $1 ORDER BY created_at DESC LIMIT 1',
    [databases[1].id],
  );

  const token = await client.call('POST', '/api/v1/api-tokens', { name: 'load', role: 'admin' }, [201]);
  const ctx: LoadContext = {
    url: api.url,
    token: String(token.token),
    apiPid: api.process.pid!,
    serviceDb,
    serviceDbName,
    profile: !!profileDir,
  };
  log(`API ${api.url} (pid ${ctx.apiPid}): 5 databases, storage, a notification, an API token`);

  const v1 = '/api/v1';
  const reads: Req[] = [
    { method: 'GET', path: `${v1}/databases` },
    { method: 'GET', path: `${v1}/databases/${databases[1].id}` },
    { method: 'GET', path: `${v1}/databases/${databases[2].id}/backups` },
    { method: 'GET', path: `${v1}/backups` },
    { method: 'GET', path: `${v1}/backups/${someBackup[0].id}` },
    { method: 'GET', path: `${v1}/storage` },
    { method: 'GET', path: `${v1}/storage/${storage.id}` },
    { method: 'GET', path: `${v1}/stats` },
    { method: 'GET', path: `${v1}/notifications` },
    { method: 'GET', path: `${v1}/notifications/${notification.id}` },
  ];
  // 8 reads, then a database created and deleted again by the same connection: 20 % writes.
  let created = 0;
  const writes: Req[] = [
    ...reads.slice(0, 8),
    {
      method: 'POST',
      path: `${v1}/databases`,
      setupRequest: (req) => ({ ...req, body: JSON.stringify(databaseBody(`load-w-${++created}`)) }),
      onResponse: (status, body, context) => {
        (context as { id?: string }).id = status === 201 ? (JSON.parse(body) as { id: string }).id : undefined;
      },
    },
    {
      method: 'DELETE',
      // No id (the create failed, already counted): a 404 on a path that cannot exist, counted too.
      setupRequest: (req, context) => ({
        ...req,
        path: `${v1}/databases/${(context as { id?: string }).id ?? 'none'}`,
      }),
    },
  ];

  if (option('load-hold', 'BENCH_LOAD_HOLD', '') === '1') {
    // For profiling by hand: the API stays up, with its data, until Ctrl-C.
    log(`holding: API ${api.url}, token ${ctx.token}, databases ${databases.map((d) => d.id).join(' ')}, Ctrl-C ends`);
    await new Promise(() => {});
  }
  log(`warm-up: ${WARMUP_S} s of the read mix, untimed`);
  await load(ctx, 'warm-up', 50, WARMUP_S, reads, true);

  const results: Partial<Record<Scenario | 'list100k10', LoadResult>> = {};
  let backupsDuring = 0;
  if (runs('read50') || runs('backup')) results.read50 = await load(ctx, 'a. read mix', 50, SECONDS, reads);
  if (runs('backup')) {
    // Backups back to back for the whole scenario: one is always running (MAX_CONCURRENT_BACKUPS=1).
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        const job = await client.call('POST', `/api/v1/databases/${busy.id}/backup`, undefined, [202]);
        const done = await client.waitForBackup(String(job.id));
        if (done.status !== 'success') throw new SetupError(`a backup under load failed: ${done.error_message}`);
        backupsDuring++;
      }
    })();
    // Until the first one is past pending.
    await sleep(500);
    results.backup = await load(ctx, 'c. read mix, backups running', 50, SECONDS, reads);
    stop = true;
    await loop;
  }
  if (runs('read200')) results.read200 = await load(ctx, 'a. read mix', 200, SECONDS, reads);
  if (runs('writes')) results.writes = await load(ctx, 'b. 20 % create/delete writes', 200, SECONDS, writes);
  let listPlan = '';
  if (runs('list100k')) {
    const history = databases[3];
    const insertStart = performance.now();
    await insertHistory(history.id, HISTORY_ROWS);
    // What autovacuum does soon after a bulk insert (its insert threshold), so the plans are the steady state's.
    await serviceDb.query('VACUUM ANALYZE backups');
    log(
      `${HISTORY_ROWS.toLocaleString('en')} backup rows inserted in ${((performance.now() - insertStart) / 1000).toFixed(1)} s`,
    );
    const { rows: plan } = await serviceDb.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN ANALYZE SELECT * FROM backups WHERE database_id = $1 ORDER BY created_at DESC LIMIT 20`,
      [history.id],
    );
    listPlan = plan.map((r) => r['QUERY PLAN']).join('\n');
    const list = [{ method: 'GET', path: `${v1}/databases/${history.id}/backups` }] as Req[];
    // Alone, the endpoint's own latency (the target); at 10 connections, with queueing.
    results.list100k = await load(ctx, 'd. backups list, 100k rows', 1, SECONDS, list);
    results.list100k10 = await load(ctx, 'd. backups list, 100k rows', 10, SECONDS, list);
  }

  // ------------------------------------------------ the table
  const fmt = (n: number | undefined, d = 1) =>
    n === undefined || Number.isNaN(n) ? '—' : round(n, d).toLocaleString('en');
  const rows: { name: string; value: string; target: string; met: boolean | null }[] = [];
  const check = (name: string, value: number | undefined, unit: string, target: string, met: boolean | null) =>
    rows.push({ name, value: `${fmt(value)} ${unit}`, target, met: value === undefined ? null : met });
  const r50 = results.read50;
  const r200 = results.read200;
  if (r50) {
    check('a. read mix, 50 conn: requests/s', r50.rps, 'req/s', `≥ ${TARGETS.readRps}`, r50.rps >= TARGETS.readRps);
    check('a. read mix, 50 conn: p50', r50.p50, 'ms', '', null);
    check('a. read mix, 50 conn: p95', r50.p95, 'ms', `≤ ${TARGETS.readP95At50Ms}`, r50.p95 <= TARGETS.readP95At50Ms);
    check('a. read mix, 50 conn: p99', r50.p99, 'ms', '', null);
  }
  if (r200) {
    check('a. read mix, 200 conn: requests/s', r200.rps, 'req/s', `≥ ${TARGETS.readRps}`, r200.rps >= TARGETS.readRps);
    check('a. read mix, 200 conn: p50', r200.p50, 'ms', '', null);
    check('a. read mix, 200 conn: p95', r200.p95, 'ms', '', null);
    check('a. read mix, 200 conn: p99', r200.p99, 'ms', '', null);
  }
  if (results.writes) {
    const w = results.writes;
    check('b. 20 % writes, 200 conn: requests/s', w.rps, 'req/s', '', null);
    check('b. 20 % writes, 200 conn: p50', w.p50, 'ms', '', null);
    check('b. 20 % writes, 200 conn: p95', w.p95, 'ms', '', null);
    check('b. 20 % writes, 200 conn: p99', w.p99, 'ms', '', null);
  }
  if (results.backup && r50) {
    const b = results.backup;
    const shift = (100 * (b.p50 - r50.p50)) / r50.p50;
    check('c. backups running, 50 conn: requests/s', b.rps, 'req/s', '', null);
    check('c. backups running, 50 conn: p50', b.p50, 'ms', '', null);
    check('c. backups running, 50 conn: p95', b.p95, 'ms', '', null);
    check('c. p50 shift against a.', shift, '%', `< ${TARGETS.backupP50ShiftPct}`, shift < TARGETS.backupP50ShiftPct);
  }
  if (results.list100k) {
    const l = results.list100k;
    check('d. backups list, 100k rows, 1 conn: requests/s', l.rps, 'req/s', '', null);
    check('d. backups list, 100k rows, 1 conn: p50', l.p50, 'ms', '', null);
    check(
      'd. backups list, 100k rows, 1 conn: p95',
      l.p95,
      'ms',
      `≤ ${TARGETS.list100kP95Ms}`,
      l.p95 <= TARGETS.list100kP95Ms,
    );
  }
  if (results.list100k10) {
    const l = results.list100k10;
    check('d. backups list, 100k rows, 10 conn: requests/s', l.rps, 'req/s', '', null);
    check('d. backups list, 100k rows, 10 conn: p50', l.p50, 'ms', '', null);
    check('d. backups list, 100k rows, 10 conn: p95', l.p95, 'ms', '', null);
  }
  const width = Math.max(...rows.map((r) => r.name.length));
  const lines = [
    '',
    `${'measurement'.padEnd(width)}  ${'value'.padStart(14)}  ${'target'.padEnd(8)}  met`,
    ...rows.map(
      (r) =>
        `${r.name.padEnd(width)}  ${r.value.padStart(14)}  ${r.target.padEnd(8)}  ${r.met === null ? '' : r.met ? 'yes' : 'NO'}`,
    ),
    '',
    'per scenario: service-database transactions per request, API CPU ms per request, machine busy:',
    ...Object.values(results).map(
      (r) =>
        `  ${`${r!.name}, ${r!.connections} conn`.padEnd(width)}  ${r!.xactsPerRequest.toFixed(2)} xacts/req  ` +
        `${r!.apiCpuMsPerRequest.toFixed(2)} CPU ms/req  ${r!.machineBusyPct.toFixed(0)} % busy  (${r!.requests.toLocaleString('en')} requests)`,
    ),
    ...(results.backup ? [`  backups completed during c.: ${backupsDuring}`] : []),
    ...(listPlan ? ['', 'd. plan of the page query:', ...listPlan.split('\n').map((l) => `  ${l}`)] : []),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  const resultsDir = join(__dirname, 'results');
  await mkdir(resultsDir, { recursive: true });
  const resultsFile = join(resultsDir, 'load-latest.json');
  let text = `${JSON.stringify({ at: new Date().toISOString(), seconds: SECONDS, roles: ROLES, targets: TARGETS, results, rows }, null, 2)}\n`;
  try {
    // As the repository's prettier would write it, so `pnpm run lint` (prettier --check .) passes over it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const prettier = require('prettier') as {
      resolveConfig(file: string): Promise<object | null>;
      format(text: string, options: object): Promise<string>;
    };
    text = await prettier.format(text, { ...(await prettier.resolveConfig(resultsFile)), parser: 'json' });
  } catch {
    // no prettier: plain JSON
  }
  await writeFile(resultsFile, text);

  const failed = Object.values(results).filter((r) => Object.keys(r!.bad).length);
  if (failed.length) {
    for (const r of failed) log(`requests errored in "${r!.name}": ${JSON.stringify(r!.bad)}`);
    log(`end of the API's output:\n${apiOutput()}`);
    return 1;
  }
  if (profileDir) log(`CPU profiles of the API process, one per scenario: ${profileDir}`);
  return 0;
}

main()
  .catch((error: unknown) => {
    process.stderr.write(
      `load bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  })
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  });
