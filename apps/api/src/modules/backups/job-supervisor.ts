import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { BackupsRepository } from './backups.repository';

const HEARTBEAT_MS = 15_000;
const ABANDONED_AFTER_MS = 90_000;

/**
 * Keeps this process's jobs visibly alive, and fails other processes' jobs that stopped
 * being alive (a crash or a restart mid-job), so no backup or restore stays `running` forever.
 */
@Injectable()
export class JobSupervisor implements OnModuleInit, OnModuleDestroy {
  /** This process, as recorded on the jobs it runs. */
  readonly workerId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly logger = new Logger(JobSupervisor.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly backups: BackupsRepository) {}

  onModuleInit(): void {
    // Not awaited: the API comes up (and /health says why) even while its database is down.
    void this.sweep().catch((error: unknown) =>
      this.logger.warn({ reason: (error as Error).message }, 'could not check for abandoned jobs'),
    );
    this.timer = setInterval(() => void this.tick(), HEARTBEAT_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    try {
      await this.backups.heartbeat(this.workerId);
      await this.sweep();
    } catch (error) {
      this.logger.warn({ reason: (error as Error).message }, 'job heartbeat failed');
    }
  }

  private async sweep(): Promise<void> {
    const failed = await this.backups.failAbandoned(
      new Date(Date.now() - ABANDONED_AFTER_MS),
      'Interrupted: the process running it stopped (crash or restart) before it finished',
    );
    if (failed) this.logger.warn({ failed }, 'failed abandoned jobs');
  }
}
