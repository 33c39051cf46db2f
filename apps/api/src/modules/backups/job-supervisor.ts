import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { isProvablyGone, processIdentity } from '../../engine/process-identity';
import { AppConfig } from '../../config/app-config';
import type { Backup, Restore } from '../../generated/prisma/client';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { BackupNotifier } from './backup-notifier';
import { BackupsRepository, type AbandonedJobMessages } from './backups.repository';

/** A job without proof of life for this many heartbeats is failed as interrupted. */
const ABANDONED_AFTER_HEARTBEATS = 6;

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
  /** Jobs of this process whose runner could not record their state: no longer heart-beaten. */
  private readonly lost = new Set<string>();

  constructor(
    private readonly config: AppConfig,
    private readonly backups: BackupsRepository,
    private readonly notifier: BackupNotifier,
    private readonly activity: ActivityLogService,
  ) {}

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
    void this.sweep().catch((error: unknown) =>
      this.logger.warn({ reason: (error as Error).message }, 'could not check for abandoned jobs'),
    );
    this.timer = setInterval(() => void this.tick(), this.config.env.JOB_HEARTBEAT_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    try {
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

  private warnTell(error: unknown): void {
    this.logger.warn({ reason: (error as Error).message }, 'could not report an abandoned job');
  }

  private async tellBackup(failed: Backup): Promise<void> {
    const backup = await this.backups.findWithSources(failed.id);
    if (!backup) return;
    await this.activity.record({
      event: 'backup.finish',
      outcome: 'failure',
      level: 'error',
      tenantId: backup.tenantId,
      userId: backup.triggeredById,
      resourceType: 'Backup',
      resourceId: backup.id,
      resourceName: backup.name,
      details: { database: backup.database.name, name: backup.name, error: (backup.errorMessage ?? '').slice(0, 500) },
    });
    await this.notifier.backupFinished(backup.database, backup);
  }

  private async tellRestore(failed: Restore): Promise<void> {
    const restore = await this.backups.findRestore(failed.id);
    if (!restore) return;
    const error = restore.errorMessage ?? '';
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
