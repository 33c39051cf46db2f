import { Injectable, Logger } from '@nestjs/common';
import { backupName } from '../../engine/backup-naming';
import type { Backup, Database } from '../../generated/prisma/client';
import { JobQueue, QUEUES } from '../jobs/job-queue';
import { BackupsRepository } from './backups.repository';
import { EventPublisher } from '../events/event-publisher';

/**
 * What happens after a backup failed: another attempt when its database's `retry` setting allows
 * one (attempts, delay), or when a shutdown handed it back to the queue (always, at once). Every
 * attempt is its own row, so the history shows each failure and the attempt that followed it.
 */
@Injectable()
export class BackupRetries {
  private readonly logger = new Logger(BackupRetries.name);

  constructor(
    private readonly backups: BackupsRepository,
    private readonly queue: JobQueue,
    private readonly events: EventPublisher,
  ) {}

  /** Whether a failed attempt gets another one (a shutdown's hand-back always does). */
  allows(failed: Backup, database: Database, handedBack: boolean): boolean {
    return handedBack || failed.attempt <= database.retryAttempts;
  }

  /** Queues the next attempt of `failed`; null when not allowed or another process queued it first. */
  async retry(failed: Backup, database: Database, handedBack = false): Promise<Backup | null> {
    if (!this.allows(failed, database, handedBack)) return null;
    const next = await this.backups.createRetry(failed, backupName(new Date()));
    if (!next) return null;
    this.events.backupCreated(next);
    const delaySeconds = handedBack ? 0 : database.retryDelaySeconds;
    // If this send fails, the supervisor queues the pending row again (pendingWithoutJob).
    await this.queue
      .send(QUEUES.backup, { backupId: next.id }, { startAfterSeconds: delaySeconds })
      .catch((error: unknown) =>
        this.logger.warn({ backupId: next.id, reason: (error as Error).message }, 'retry not queued yet'),
      );
    this.logger.log({ failed: failed.id, retry: next.id, attempt: next.attempt, delaySeconds }, 'backup retry queued');
    return next;
  }
}
