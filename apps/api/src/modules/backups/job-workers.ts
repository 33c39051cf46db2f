import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { JobQueue, QUEUES } from '../jobs/job-queue';
import { BackupRunner } from './backup-runner';
import { RestoreRunner } from './restore-runner';

/**
 * Works the backup and restore queues in processes that run jobs (APP_ROLE worker or all):
 * MAX_CONCURRENT_BACKUPS backups at a time, and as many restores besides.
 */
@Injectable()
export class JobWorkers implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobWorkers.name);

  constructor(
    private readonly config: AppConfig,
    private readonly queue: JobQueue,
    private readonly backups: BackupRunner,
    private readonly restores: RestoreRunner,
  ) {}

  onApplicationBootstrap(): void {
    const concurrency = this.config.env.MAX_CONCURRENT_BACKUPS;
    // Not awaited: workers start once the service database answers (the API serves before that).
    void Promise.all([
      this.queue.work<{ backupId: string }>(QUEUES.backup, concurrency, (job, { signal }) =>
        this.backups.run(job.backupId, signal),
      ),
      this.queue.work<{ restoreId: string }>(QUEUES.restore, concurrency, (job, { signal }) =>
        this.restores.run(job.restoreId, signal),
      ),
    ]).catch((error: unknown) => this.logger.error({ reason: (error as Error).message }, 'job workers not started'));
  }
}
