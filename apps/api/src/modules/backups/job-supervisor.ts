import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { isProvablyGone, processIdentity } from '../../engine/process-identity';
import { AppConfig } from '../../config/app-config';
import type { Backup, Restore } from '../../generated/prisma/client';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { BackupNotifier } from './backup-notifier';
import { BackupRetries } from './backup-retries';
import { ObjectStoreFactory, describeStoreError } from '../storage/object-store-factory';
import { BackupsRepository, type AbandonedJobMessages, type BackupWithSources } from './backups.repository';
import { JobQueue, QUEUES } from '../jobs/job-queue';
import { EventPublisher } from '../events/event-publisher';

/** A job without proof of life for this many heartbeats is failed as interrupted. */
const ABANDONED_AFTER_HEARTBEATS = 6;
/** How often unfinished multipart uploads no live job owns are looked for. */
const UPLOAD_SWEEP_MS = 10 * 60_000;
/** The objects a backup uploads (dump and roles, encrypted or not): no other upload is ours to abort. */
const OUR_UPLOAD = /\.(dump|roles\.sql)(\.age)?$/;

const STOPPED = 'Interrupted: the process running it stopped (crash or restart) before it finished';
/**
 * pg_dump and pg_restore die with the process that runs them (pg-tool-process.ts), so a job
 * whose process died did not go on without it: a restore stopped where it was, and says so.
 */
export const ABANDONED_JOB_MESSAGES: AbandonedJobMessages = {
  backup: STOPPED,
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
  private uploadTimer: NodeJS.Timeout | undefined;
  /** The look for pending rows missing from the queue, while one runs. */
  private requeueing: Promise<void> | undefined;
  /** Jobs of this process whose runner could not record their state: no longer heart-beaten. */
  private readonly lost = new Set<string>();

  constructor(
    private readonly config: AppConfig,
    private readonly backups: BackupsRepository,
    private readonly notifier: BackupNotifier,
    private readonly activity: ActivityLogService,
    private readonly stores: ObjectStoreFactory,
    private readonly queue: JobQueue,
    private readonly retries: BackupRetries,
    private readonly events: EventPublisher,
  ) {}

  /** Whether this process runs jobs: APP_ROLE `worker` or `all` (an `api` process only queues them). */
  get runsJobs(): boolean {
    return this.config.env.APP_ROLE !== 'api';
  }

  /**
   * The job's runner ended without recording its outcome (the service database was unreachable
   * too long, or it failed unexpectedly): stop proving it alive, so the sweeper fails it instead
   * of it staying `running` forever.
   */
  lose(jobId: string): void {
    this.lost.add(jobId);
  }

  onModuleInit(): void {
    // Not awaited: the API comes up (and /health says why) even while its database is down.
    if (this.runsJobs) void this.backups.workerSeen(this.workerId, this.config.env.APP_ROLE).catch(() => undefined);
    void this.sweep().catch((error: unknown) =>
      this.logger.warn({ reason: (error as Error).message }, 'could not check for abandoned jobs'),
    );
    this.timer = setInterval(() => void this.tick(), this.config.env.JOB_HEARTBEAT_MS);
    this.timer.unref();
    // First after one abandonment window (a job that just began an upload records its id by then).
    this.uploadTimer = setTimeout(() => void this.sweepUploadsEvery(), this.abandonedAfterMs());
    this.uploadTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.uploadTimer);
    await this.requeueing;
  }

  private abandonedAfterMs(): number {
    return ABANDONED_AFTER_HEARTBEATS * this.config.env.JOB_HEARTBEAT_MS;
  }

  private async sweepUploadsEvery(): Promise<void> {
    await this.sweepUploads().catch((error: unknown) =>
      this.logger.warn({ reason: (error as Error).message }, 'could not sweep unfinished uploads'),
    );
    this.uploadTimer = setTimeout(() => void this.sweepUploadsEvery(), UPLOAD_SWEEP_MS);
    this.uploadTimer.unref();
  }

  /**
   * Aborts unfinished multipart uploads of our objects, under each storage's prefix, that no
   * pending or running backup owns and that are older than the abandonment window (left by a
   * crash whose job was failed before its upload id was recorded, or an outage of the storage).
   */
  async sweepUploads(): Promise<number> {
    let aborted = 0;
    for (const storage of await this.backups.s3Storages()) {
      try {
        const store = this.stores.open(storage);
        if (!store.unfinishedUploads || !store.abortUpload) continue;
        const uploads = await store.unfinishedUploads(storage.pathPrefix);
        if (!uploads.length) continue;
        const live = await this.backups.liveUploadIds();
        const before = Date.now() - this.abandonedAfterMs();
        for (const upload of uploads) {
          if (live.has(upload.uploadId) || !OUR_UPLOAD.test(upload.key)) continue;
          if (upload.initiated && upload.initiated.getTime() > before) continue;
          await store.abortUpload(upload.key, upload.uploadId);
          aborted++;
        }
      } catch (error) {
        this.logger.warn({ storageId: storage.id, reason: describeStoreError(error) }, 'could not sweep uploads');
      }
    }
    if (aborted) this.logger.warn({ aborted }, 'aborted unfinished uploads no job owns');
    return aborted;
  }

  /** The failed job's unfinished multipart upload, aborted (its parts would linger and cost). */
  private async abortUploadOf(backup: BackupWithSources): Promise<void> {
    if (!backup.uploadId || !backup.objectKey) return;
    const store = this.stores.open(backup.storage);
    try {
      await store.abortUpload?.(backup.objectKey, backup.uploadId);
      await this.backups.update(backup.id, { uploadId: null });
    } catch (error) {
      // Left recorded on the failed job; the periodic sweep removes it.
      this.logger.warn({ backupId: backup.id, reason: describeStoreError(error) }, 'could not abort the upload');
    }
  }

  private async tick(): Promise<void> {
    try {
      if (this.runsJobs) await this.backups.workerSeen(this.workerId, this.config.env.APP_ROLE);
      await this.backups.heartbeat(this.workerId, [...this.lost]);
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
    const staleBefore = new Date(Date.now() - ABANDONED_AFTER_HEARTBEATS * this.config.env.JOB_HEARTBEAT_MS);
    // Beside, not before, failing the abandoned: a queue not started yet must not hold that up.
    this.requeueOrphansInBackground();
    const byDeath = dead.length ? await this.backups.failAbandoned({ workerIds: dead }, ABANDONED_JOB_MESSAGES) : null;
    const byStaleness = await this.backups.failAbandoned({ staleBefore }, ABANDONED_JOB_MESSAGES);
    const backups = [...(byDeath?.backups ?? []), ...byStaleness.backups];
    const restores = [...(byDeath?.restores ?? []), ...byStaleness.restores];
    if (!backups.length && !restores.length) return;
    this.logger.warn(
      { failedBackups: backups.length, failedRestores: restores.length, deadWorkers: dead },
      'failed abandoned jobs',
    );
    // Like every other failure: a `finish` entry and the database's notification.
    for (const backup of backups) await this.tellBackup(backup).catch((error: unknown) => this.warnTell(error));
    for (const restore of restores) await this.tellRestore(restore).catch((error: unknown) => this.warnTell(error));
  }

  /**
   * Pending backups and restores that have no job in the queue (their process stopped between
   * recording the row and queueing it, or the queue refused it then) are queued again, oldest
   * first. A duplicate job is harmless: its handler claims the row pending → running once.
   */
  private requeueOrphansInBackground(): void {
    // Not while the queue is starting (or the service database is down): next heartbeat.
    if (this.requeueing || !this.queue.isStarted) return;
    this.requeueing = this.requeueOrphans()
      .catch((error: unknown) =>
        this.logger.warn(
          { reason: (error as Error).message },
          'could not look for pending jobs missing from the queue',
        ),
      )
      .finally(() => (this.requeueing = undefined));
  }

  private async requeueOrphans(): Promise<void> {
    const before = new Date(Date.now() - this.abandonedAfterMs());
    const orphans = await this.backups.pendingWithoutJob(before);
    if (!orphans.backups.length && !orphans.restores.length) return;
    this.logger.warn(
      { backups: orphans.backups.length, restores: orphans.restores.length },
      'pending jobs missing from the queue; queued again',
    );
    for (const backupId of orphans.backups) await this.queue.send(QUEUES.backup, { backupId });
    for (const restoreId of orphans.restores) await this.queue.send(QUEUES.restore, { restoreId });
  }

  private warnTell(error: unknown): void {
    this.logger.warn({ reason: (error as Error).message }, 'could not report an abandoned job');
  }

  private async tellBackup(failed: Backup): Promise<void> {
    const backup = await this.backups.findWithSources(failed.id);
    if (!backup) return;
    await this.abortUploadOf(backup);
    const retry = await this.retries.retry(backup, backup.database);
    if (retry) {
      backup.errorMessage = `${backup.errorMessage ?? ''}; it will be retried (attempt ${retry.attempt})`;
      await this.backups.update(backup.id, { errorMessage: backup.errorMessage });
    }
    this.events.backupFinished(backup);
    await this.activity.record({
      event: 'backup.finish',
      outcome: 'failure',
      level: 'error',
      tenantId: backup.tenantId,
      userId: backup.triggeredById,
      resourceType: 'Backup',
      resourceId: backup.id,
      resourceName: backup.name,
      details: {
        database: backup.database.name,
        name: backup.name,
        error: (backup.errorMessage ?? '').slice(0, 500),
        ...(retry ? { retry: { backup_id: retry.id, attempt: retry.attempt } } : {}),
      },
    });
    // Told once, when the last attempt ends.
    if (!retry) await this.notifier.backupFinished(backup.database, backup);
  }

  private async tellRestore(failed: Restore): Promise<void> {
    const restore = await this.backups.findRestore(failed.id);
    if (!restore) return;
    const error = restore.errorMessage ?? '';
    this.events.restoreFinished(restore, restore.backup.databaseId);
    await this.activity.record({
      event: 'restore.finish',
      outcome: 'failure',
      level: 'error',
      tenantId: restore.tenantId,
      userId: restore.requestedById,
      resourceType: 'Restore',
      resourceId: restore.id,
      resourceName: restore.backup.name,
      details: { backup: restore.backup.name, error: error.slice(0, 500) },
    });
    await this.notifier.restoreFailed(restore.backup.database, restore.backup.name, error);
  }
}
