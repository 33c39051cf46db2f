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

  constructor(private readonly config: AppConfig) {}

  /** `signal` aborts when the process shuts down: the job stops and records that it was interrupted. */
  enqueue(job: (signal: AbortSignal) => Promise<void>): void {
    this.waiting.push(job);
    this.drain();
  }

  async onApplicationShutdown(): Promise<void> {
    // Jobs not started stay pending; the sweeper of the next process fails them as abandoned.
    this.waiting.length = 0;
    this.shutdown.abort(new Error('the API process is shutting down'));
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
