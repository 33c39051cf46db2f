import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { isProvablyGone, processIdentity } from '../../engine/process-identity';
import { BackupsRepository, type AbandonedJobMessages } from './backups.repository';

const HEARTBEAT_MS = 15_000;
const ABANDONED_AFTER_MS = 90_000;

const STOPPED = 'Interrupted: the process running it stopped (crash or restart) before it finished';
/**
 * pg_dump and pg_restore die with the process that runs them (pg-tool-process.ts), so a job
 * whose process died did not go on without it: a restore stopped where it was, and says so.
 */
export const ABANDONED_JOB_MESSAGES: AbandonedJobMessages = {
  backup: STOPPED,
  pendingRestore: `${STOPPED}, before the restore started: the target was not touched`,
  runningRestore: {
    none: `${STOPPED}, before pg_restore started: the target database was not changed`,
    single_transaction: `${STOPPED}; pg_restore was stopped with it and its one transaction rolled back: the target was not changed`,
    swap:
      `${STOPPED}; pg_restore was stopped with it while it restored into a fresh copy: the target was not changed ` +
      '(a "<target>_restoring_<time>" database may be left: drop it). Only had it died in the very moment of the swap, the ' +
      'target may refuse connections (ALTER DATABASE … WITH ALLOW_CONNECTIONS true), or already be the restored copy ' +
      'with the previous database kept as "<target>_before_<time>"',
    direct:
      `${STOPPED}; pg_restore was stopped with it, so the database this restore created may be partly restored ` +
      '(objects and rows up to where it stopped): drop it before restoring again',
  },
};

/** Where a worker id says which process it is (see process-identity.ts). */
const identityOf = (workerId: string) => workerId.split('@')[1];

/**
 * Keeps this process's jobs visibly alive, and fails other processes' jobs that stopped
 * being alive (a crash or a restart mid-job), so no backup or restore stays `running` forever.
 */
@Injectable()
export class JobSupervisor implements OnModuleInit, OnModuleDestroy {
  /**
   * This process, as recorded on the jobs it runs: host, pid and a random part, then, after
   * `@`, the identity another process on this machine uses to tell at once that it died.
   */
  readonly workerId = [
    `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    ...(processIdentity() ? [processIdentity()] : []),
  ].join('@');
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
    // A process on this machine that is gone need not be waited for; others' heartbeats are.
    const dead = (await this.backups.activeWorkerIds()).filter(
      (id) => id !== this.workerId && isProvablyGone(identityOf(id)),
    );
    const failed =
      (dead.length ? await this.backups.failAbandoned({ workerIds: dead }, ABANDONED_JOB_MESSAGES) : 0) +
      (await this.backups.failAbandoned(
        { staleBefore: new Date(Date.now() - ABANDONED_AFTER_MS) },
        ABANDONED_JOB_MESSAGES,
      ));
    if (failed) this.logger.warn({ failed, deadWorkers: dead }, 'failed abandoned jobs');
  }
}
