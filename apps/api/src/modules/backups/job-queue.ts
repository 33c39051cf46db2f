import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';

/**
 * Runs backup and restore jobs in this process, at most MAX_CONCURRENT_BACKUPS at a time,
 * in the order they were asked for. A job never throws out of here: it records its own outcome.
 */
@Injectable()
export class JobQueue implements OnApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private readonly waiting: ((signal: AbortSignal) => Promise<void>)[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();
  private stopping = false;

  constructor(private readonly config: AppConfig) {}

  /** `signal` aborts when the process shuts down: the job stops and records that it was interrupted. */
  enqueue(job: (signal: AbortSignal) => Promise<void>): void {
    if (this.stopping) return; // stays pending: see shutDown
    this.waiting.push(job);
    this.drain();
  }

  /**
   * SIGTERM: no new job starts; running ones get `graceMs` to finish, then are stopped with a
   * message that names the shutdown (and record it). Resolves once every job recorded its outcome.
   */
  async shutDown(signalName: string, graceMs: number): Promise<void> {
    this.stopping = true;
    // Jobs not started stay pending; the sweeper of the next process fails them as abandoned.
    this.waiting.length = 0;
    if (!this.running.size) return;
    let timer: NodeJS.Timeout | undefined;
    const finished = Promise.allSettled([...this.running]);
    const inTime = await Promise.race([
      finished.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
    ]);
    clearTimeout(timer);
    if (inTime) return;
    this.logger.warn({ running: this.running.size, graceMs }, 'jobs did not finish before the shutdown; stopping them');
    this.shutdown.abort(
      new Error(
        `Interrupted: the API process was stopped (${signalName}) and the job did not finish within its ` +
          `shutdown grace period (SHUTDOWN_TIMEOUT_MS, ${graceMs} ms for jobs); run it again`,
      ),
    );
    await finished;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.waiting.length = 0;
    this.shutdown.abort(new Error('Interrupted: the API process shut down before the job finished'));
    await Promise.allSettled([...this.running]);
  }

  private drain(): void {
    while (this.running.size < this.config.env.MAX_CONCURRENT_BACKUPS && this.waiting.length) {
      const job = this.waiting.shift()!;
      const run: Promise<void> = job(this.shutdown.signal)
        .catch((error: unknown) => this.logger.error({ err: error }, 'job failed unexpectedly'))
        .finally(() => {
          this.running.delete(run);
          this.drain();
        });
      this.running.add(run);
    }
  }
}
