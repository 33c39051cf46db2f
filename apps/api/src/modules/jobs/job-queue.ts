import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import PgBoss from 'pg-boss';
import { AppConfig } from '../../config/app-config';

/** Every queue of the service: one pg-boss queue each, in the service database (schema `pgboss`). */
export const QUEUES = {
  /** `{ backupId }`: runs a pending backup row (BackupRunner). */
  backup: 'backup',
  /** `{ restoreId }`: runs a pending restore row (RestoreRunner). */
  restore: 'restore',
  /** A Discord message to deliver, retried a few times (NotificationDelivery). */
  notification: 'notification',
  /** The daily clean-up, scheduled once per cluster (Maintenance). */
  maintenance: 'maintenance',
  /** The periodic retention run over every database, at most one per RETENTION_INTERVAL_MINUTES across the cluster. */
  retention: 'retention',
  /** Staleness checks: `{}` every database, at most one per STALENESS_CHECK_MINUTES across the cluster; `{ databaseId }` after its success. */
  staleness: 'staleness',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** What a handler gets with its job's data. */
export interface JobContext {
  /** Aborts when this process shuts down and the job did not finish within its grace period. */
  signal: AbortSignal;
  /** 0 on the first delivery, then how many times pg-boss retried it (jobs sent with `retryLimit`). */
  retryCount: number;
  retryLimit: number;
}
export type JobHandler<T> = (data: T, context: JobContext) => Promise<void>;

export interface SendOptions {
  /** Not before this many seconds from now. */
  startAfterSeconds?: number;
  /** pg-boss retries a job whose handler throws, this many times, `retryDelaySeconds` apart (doubling). */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** pg-boss's singleton: of the jobs sent with this key within one slot of `singletonSeconds`, only the first is stored. */
  singleton?: { key: string; seconds: number };
}

/** pg-boss cannot expire an active job later than 24 h after it started (a backup running longer keeps its row state). */
const ACTIVE_FOR_AT_MOST_HOURS = 23;
/** How often pg-boss is tried again while the service database is down at start-up. */
const START_RETRY_MS = 2_000;
/**
 * Where a send tells every process a queue has a job now (payload: the queue's name), so an idle
 * worker of another process fetches it at once instead of at its next poll; polling stays the
 * fallback (a wake-up lost while the listener reconnects costs at most JOB_POLL_SECONDS).
 */
export const JOBS_CHANNEL = 'dumpstation_jobs';

/**
 * The job queue: pg-boss on the service database. Every process (APP_ROLE api, worker or all)
 * sends jobs; only `worker` and `all` processes work them. Jobs wait in PostgreSQL, so they
 * survive restarts, and each is fetched by exactly one process (SKIP LOCKED).
 *
 * The rows of backups and restores stay the record of their state: a handler claims its row
 * atomically (pending → running), so a job delivered twice runs once.
 */
@Injectable()
export class JobQueue implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private readonly boss: PgBoss;
  private started: Promise<void> | undefined;
  private readonly shutdown = new AbortController();
  private readonly running = new Set<Promise<void>>();
  /** This process's fetch loops, and the idle ones' wake-ups by queue (a local send wakes them). */
  private readonly loops = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly idlers = new Map<QueueName, Set<() => void>>();
  private stopping = false;
  private startedOk = false;
  /** The connection LISTENing on JOBS_CHANNEL (processes that run jobs), while it is up. */
  private listener: Client | undefined;
  private listening: Promise<void> | undefined;
  private readonly listenerStop = new AbortController();

  constructor(private readonly config: AppConfig) {
    this.boss = new PgBoss({
      connectionString: config.env.DATABASE_URL,
      application_name: `dumpstation-${config.env.APP_ROLE}-queue`,
      max: 4,
      // Cron schedules (the daily clean-up) are run by workers only; pg-boss sends each slot once per cluster.
      schedule: this.runsJobs,
      cronMonitorIntervalSeconds: config.env.JOB_CRON_CHECK_SECONDS,
      cronWorkerIntervalSeconds: config.env.JOB_CRON_CHECK_SECONDS,
      // Finished jobs are kept a week for inspection (the rows of backups keep their history forever).
      deleteAfterDays: 7,
    });
    this.boss.on('error', (error) => this.logger.warn({ reason: error.message }, 'job queue error'));
  }

  /** pg-boss is started: a send goes straight to the database instead of waiting for the start. */
  get isStarted(): boolean {
    return this.startedOk;
  }

  get runsJobs(): boolean {
    return this.config.env.APP_ROLE !== 'api';
  }

  onModuleInit(): void {
    // Not awaited: the API comes up (and /health says why) even while its database is down.
    this.started = this.startWhenReachable();
    this.started.catch(() => undefined);
    if (this.runsJobs) this.listening = this.listenForWakeUps();
  }

  /** LISTENs on JOBS_CHANNEL until the process stops, reconnecting after a lost connection. */
  private async listenForWakeUps(): Promise<void> {
    const queues = new Set<string>(Object.values(QUEUES));
    while (!this.stopping) {
      const client = new Client({
        connectionString: this.config.env.DATABASE_URL,
        application_name: `dumpstation-${this.config.env.APP_ROLE}-jobs`,
        keepAlive: true,
        connectionTimeoutMillis: 10_000,
      });
      const closed = new Promise<void>((resolve) => {
        client.on('error', () => resolve());
        client.on('end', () => resolve());
      });
      client.on('notification', (message) => {
        if (message.channel === JOBS_CHANNEL && message.payload && queues.has(message.payload)) {
          this.wake(message.payload as QueueName);
        }
      });
      // Known before it connects: a shutdown ends it even while it waits for the database.
      this.listener = client;
      try {
        await client.connect();
        await client.query(`LISTEN ${JOBS_CHANNEL}`);
        await closed;
      } catch {
        // The database is down: polling carries on meanwhile.
      } finally {
        this.listener = undefined;
        await client.end().catch(() => undefined);
      }
      if (!this.stopping) {
        await delay(START_RETRY_MS, undefined, { signal: this.listenerStop.signal }).catch(() => undefined);
      }
    }
  }

  private async startWhenReachable(): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        await this.boss.start();
        for (const name of Object.values(QUEUES)) {
          if (!(await this.boss.getQueue(name))) await this.boss.createQueue(name);
        }
        this.startedOk = true;
        return;
      } catch (error) {
        if (this.stopping) break;
        if (attempt % 15 === 0) {
          this.logger.warn({ reason: (error as Error).message }, 'job queue not started yet; retrying');
        }
        // The pause ends early when the process stops, so a shutdown never waits for it.
        await delay(START_RETRY_MS, undefined, { signal: this.shutdown.signal }).catch(() => undefined);
      }
    }
    throw new Error('the job queue was stopped before it could start');
  }

  private async ready(): Promise<void> {
    if (!this.started) this.onModuleInit();
    await this.started;
  }

  /** Queues a job; resolves once it is stored in PostgreSQL. */
  async send(name: QueueName, data: object, options: SendOptions = {}): Promise<void> {
    await this.ready();
    await this.boss.send(name, data, {
      ...(options.startAfterSeconds ? { startAfter: Math.ceil(options.startAfterSeconds) } : {}),
      retryLimit: options.retryLimit ?? 0,
      ...(options.retryDelaySeconds ? { retryDelay: options.retryDelaySeconds, retryBackoff: true } : {}),
      ...(options.singleton
        ? { singletonKey: options.singleton.key, singletonSeconds: Math.max(1, Math.round(options.singleton.seconds)) }
        : {}),
      expireInHours: ACTIVE_FOR_AT_MOST_HOURS,
    });
    if (!options.startAfterSeconds) {
      // A worker of this process need not wait for its next poll, nor one of another process.
      this.wake(name);
      await this.boss
        .getDb()
        .executeSql('SELECT pg_notify($1, $2)', [JOBS_CHANNEL, name])
        .catch(() => undefined);
    }
  }

  /**
   * A periodic job run once per interval for the whole cluster: this process offers `name` every
   * half interval with pg-boss's singleton (key `name`, `minutes` slots), which stores one job per
   * slot whoever offers it; one worker then works it. Only processes that run jobs offer; the
   * timer ends with the process.
   */
  offerEvery(name: QueueName, minutes: number): void {
    if (!this.runsJobs || minutes <= 0) return;
    const offer = () =>
      void this.send(name, {}, { singleton: { key: name, seconds: minutes * 60 } }).catch((error: unknown) =>
        this.logger.warn({ queue: name, reason: (error as Error).message }, 'periodic job not queued'),
      );
    const timer = setInterval(offer, Math.max(1_000, (minutes * 60_000) / 2));
    timer.unref();
    this.timers.add(timer);
  }

  /** Sends `name` once per slot of `cron` (in UTC) across the cluster, from the processes that run jobs. */
  async schedule(name: QueueName, cron: string): Promise<void> {
    await this.ready();
    await this.boss.schedule(name, cron, {}, { tz: 'UTC', expireInHours: ACTIVE_FOR_AT_MOST_HOURS });
  }

  /**
   * Works `name` in this process, `concurrency` jobs at a time. Only for processes that run jobs;
   * a handler that throws fails its job (retried per its retryLimit).
   *
   * Our own fetch loops rather than pg-boss's work(): a shutdown then waits for every fetch in
   * flight and every handler, so nothing of the queue runs on after the process (or a test app)
   * closed.
   */
  async work<T>(name: QueueName, concurrency: number, handler: JobHandler<T>): Promise<void> {
    if (!this.runsJobs || this.stopping) return;
    await this.ready();
    for (let i = 0; i < concurrency; i++) this.loops.add(this.workLoop(name, handler));
  }

  private async workLoop<T>(name: QueueName, handler: JobHandler<T>): Promise<void> {
    while (!this.stopping) {
      let job: PgBoss.JobWithMetadata<T> | undefined;
      try {
        [job] = await this.boss.fetch<T>(name, { batchSize: 1, includeMetadata: true });
      } catch (error) {
        if (!this.stopping) this.logger.warn({ queue: name, reason: (error as Error).message }, 'could not fetch jobs');
      }
      // Fetched just as the process began to stop: back into the queue, for another worker.
      if (job && this.stopping) await this.handBack(name, job.id);
      else if (job) await this.runJob(name, job, handler);
      // Busy: straight on to the next job; idle: until the next poll or a local send.
      else await this.idle(name);
    }
  }

  private async runJob<T>(name: QueueName, job: PgBoss.JobWithMetadata<T>, handler: JobHandler<T>): Promise<void> {
    const run = handler(job.data, {
      signal: this.shutdown.signal,
      retryCount: job.retryCount,
      retryLimit: job.retryLimit,
    });
    const tracked = run.catch(() => undefined);
    this.running.add(tracked);
    try {
      await run;
      await this.boss.complete(name, job.id);
    } catch (error) {
      await this.boss.fail(name, job.id, { message: (error as Error).message }).catch(() => undefined);
    } finally {
      this.running.delete(tracked);
    }
  }

  private async handBack(name: QueueName, id: string): Promise<void> {
    try {
      await this.boss.fail(name, id, { message: 'handed back: the process was stopping' });
      await this.boss.retry(name, id);
    } catch (error) {
      // Left active: a backup or restore row stays pending and is queued again (JobSupervisor).
      this.logger.warn({ queue: name, reason: (error as Error).message }, 'could not hand a job back');
    }
  }

  /** Waits JOB_POLL_SECONDS, or less when this process sends a job to `name` or stops. */
  private idle(name: QueueName): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.idlers.get(name) ?? new Set<() => void>();
      this.idlers.set(name, waiters);
      const wake = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.config.env.JOB_POLL_SECONDS * 1000);
      waiters.add(wake);
    });
  }

  private wake(name?: QueueName): void {
    for (const [queue, waiters] of this.idlers) {
      if (name && queue !== name) continue;
      for (const wake of [...waiters]) wake();
    }
  }

  /**
   * SIGTERM: no new job is fetched; running ones get `graceMs` to finish, then are stopped with
   * a message that names the shutdown (their handlers record it, and hand backups back to the queue).
   */
  async shutDown(signalName: string, graceMs: number): Promise<void> {
    this.stopping = true;
    this.wake();
    if (this.running.size) {
      let timer: NodeJS.Timeout | undefined;
      const inTime = await Promise.race([
        Promise.allSettled([...this.running]).then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
      ]);
      clearTimeout(timer);
      if (!inTime) {
        this.logger.warn(
          { running: this.running.size, graceMs },
          'jobs did not finish before the shutdown; stopping them',
        );
        this.shutdown.abort(new ShutdownError(signalName, graceMs));
        await Promise.allSettled([...this.running]);
      }
    }
    await this.stopBoss();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (!this.shutdown.signal.aborted) {
      this.shutdown.abort(new ShutdownError(null, 0));
    }
    await Promise.allSettled([...this.running]);
    await this.stopBoss();
  }

  private async stopBoss(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    // A start still under way ends first (stopping it halfway would leave its work running on),
    // then every fetch loop (a fetch in flight, a handler that just began).
    await this.started?.catch(() => undefined);
    this.wake();
    await Promise.allSettled([...this.loops]);
    this.listenerStop.abort();
    await this.listener?.end().catch(() => undefined);
    await this.listening;
    // Handlers have ended (recording their outcome): nothing is left for pg-boss to wait for.
    await this.boss.stop({ graceful: false, close: true }).catch(() => undefined);
  }
}

/** Why a running job was stopped by its process shutting down. */
export class ShutdownError extends Error {
  constructor(
    readonly signalName: string | null,
    graceMs: number,
  ) {
    super(
      signalName
        ? `Interrupted: the API process was stopped (${signalName}) and the job did not finish within its ` +
            `shutdown grace period (SHUTDOWN_TIMEOUT_MS, ${graceMs} ms for jobs)`
        : 'Interrupted: the API process shut down before the job finished',
    );
  }
}
