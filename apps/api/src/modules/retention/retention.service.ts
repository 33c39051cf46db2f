import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { AuthContext } from '../../common/auth/auth-context';
import { ValidationFailedException } from '../../common/errors/api-exception';
import { JobQueue, QUEUES } from '../jobs/job-queue';
import { AppConfig } from '../../config/app-config';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { deleteBackupObjects } from '../backups/backup-objects';
import { DatabasesService } from '../databases/databases.service';
import type { RotationPolicyDto } from '../databases/dto/database.dto';
import { describeStoreError, ObjectStoreFactory } from '../storage/object-store-factory';
import type { RetentionPreviewDto, RetentionPreviewQueryDto } from './dto/retention.dto';
import { planRetention, type RetentionDecision } from './retention-policy';
import { RetentionRepository, type DatabaseWithStorage } from './retention.repository';
import { rotationPolicyDto, toRetentionPolicy } from './rotation-columns';

export interface RetentionRunResult {
  removed: string[];
  failed: string[];
}

/** The stored policy of a database and its backups, decided by the one pure function. */
function decide(
  database: DatabaseWithStorage,
  policy: RotationPolicyDto | null,
  backups: Parameters<typeof planRetention>[0],
  now: Date,
) {
  return planRetention(backups, toRetentionPolicy(policy), { now, timeZone: database.timezone });
}

/**
 * Applies each database's rotation_policy: after every successful backup and periodically (once
 * per cluster). What it removes is exactly what GET /databases/{id}/retention-preview lists.
 */
@Injectable()
export class RetentionService implements OnModuleInit {
  private readonly logger = new Logger(RetentionService.name);
  private sweeping = false;

  constructor(
    private readonly config: AppConfig,
    private readonly repository: RetentionRepository,
    private readonly databases: DatabasesService,
    private readonly stores: ObjectStoreFactory,
    private readonly activity: ActivityLogService,
    private readonly queue: JobQueue,
  ) {}

  onModuleInit(): void {
    const minutes = this.config.env.RETENTION_INTERVAL_MINUTES;
    if (minutes <= 0 || !this.queue.runsJobs) return;
    // One run per interval for the whole cluster (JobQueue.offerEvery).
    void this.queue
      .work(QUEUES.retention, 1, () => this.runPeriodic())
      .catch((error: unknown) =>
        this.logger.warn({ reason: (error as Error).message }, 'retention worker not started'),
      );
    this.queue.offerEvery(QUEUES.retention, minutes);
  }

  /** What the next run would keep and remove, under the stored policy or the proposed one. */
  async preview(
    auth: AuthContext,
    databaseId: string,
    query: RetentionPreviewQueryDto,
    now = new Date(),
  ): Promise<RetentionPreviewDto> {
    await this.databases.require(auth, databaseId);
    const database = (await this.repository.findDatabase(databaseId))!;
    const stored = rotationPolicyDto(database);
    const proposal = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
    let policy = stored;
    if (Object.keys(proposal).length) {
      const merged = { ...(stored ?? {}), ...proposal } as Partial<RotationPolicyDto>;
      if (!merged.type || !merged.value) {
        throw new ValidationFailedException([
          ...(merged.type ? [] : [{ field: 'type', message: 'type is needed: the database has no retention policy' }]),
          ...(merged.value
            ? []
            : [{ field: 'value', message: 'value is needed: the database has no retention policy' }]),
        ]);
      }
      policy = merged as RotationPolicyDto;
    }
    const decisions = decide(database, policy, await this.repository.candidates(databaseId), now);
    return {
      policy,
      stored: policy === stored,
      now: now.toISOString(),
      kept: decisions.filter((d) => d.keep).length,
      removed: decisions.filter((d) => !d.keep).length,
      backups: decisions.map((d) => ({
        id: d.id,
        name: d.name,
        created_at: d.createdAt.toISOString(),
        status: d.status,
        keep: d.keep,
        reason: d.reasons.join('; '),
        reasons: d.reasons,
      })),
    };
  }

  /** The plan of the next run for one database (what the preview shows with no proposal). */
  async plan(databaseId: string, now = new Date()): Promise<RetentionDecision[]> {
    const database = await this.repository.findDatabase(databaseId);
    if (!database) return [];
    return decide(database, rotationPolicyDto(database), await this.repository.candidates(databaseId), now);
  }

  /**
   * Removes what the plan removes: objects through the one deletion path, the row marked
   * `deleted`, an activity entry each. A storage error is recorded on the row and in the log,
   * and the backup is tried again on the next run.
   */
  async applyToDatabase(databaseId: string, now = new Date()): Promise<RetentionRunResult> {
    const result: RetentionRunResult = { removed: [], failed: [] };
    const database = await this.repository.findDatabase(databaseId);
    if (!database) return result;
    const candidates = await this.repository.candidates(databaseId);
    const decisions = decide(database, rotationPolicyDto(database), candidates, now);
    const store = this.stores.open(database.storage);
    for (const decision of decisions.filter((d) => !d.keep)) {
      const backup = candidates.find((row) => row.id === decision.id);
      if (!backup || !(await this.repository.claim(backup.id, now))) continue;
      if (await this.repository.inUse(backup.id)) {
        await this.repository.release(backup.id);
        continue;
      }
      const entry = {
        tenantId: database.tenantId,
        resourceType: 'Backup' as const,
        resourceId: backup.id,
        resourceName: backup.name,
      };
      try {
        await deleteBackupObjects(store, backup);
      } catch (error) {
        const message = describeStoreError(error);
        await this.repository.markDeletionFailed(backup.id, message);
        await this.activity.record({
          ...entry,
          event: 'backup.rotate',
          outcome: 'failure',
          level: 'error',
          details: { database: database.name, name: backup.name, reason: decision.reasons.join('; '), error: message },
        });
        this.logger.warn(
          { backupId: backup.id, reason: message },
          'retention could not remove a backup; retried on the next run',
        );
        result.failed.push(backup.id);
        continue;
      }
      await this.repository.markDeleted(backup.id, new Date());
      await this.activity.record({
        ...entry,
        event: 'backup.rotate',
        details: { database: database.name, name: backup.name, reason: decision.reasons.join('; ') },
      });
      result.removed.push(backup.id);
    }
    return result;
  }

  /** After a successful backup: never fails the backup (a failure is logged and retried later). */
  async afterBackup(databaseId: string): Promise<void> {
    try {
      await this.applyToDatabase(databaseId);
    } catch (error) {
      this.logger.warn({ databaseId, reason: (error as Error).message }, 'retention after the backup failed');
    }
  }

  /** Every database, by one process of the cluster at a time; false when another holds the lock. */
  async runAll(now?: Date): Promise<boolean> {
    return this.repository.withClusterLock(async () => {
      for (const { id } of await this.repository.databasesToRun()) {
        try {
          await this.applyToDatabase(id, now ?? new Date());
        } catch (error) {
          this.logger.warn({ databaseId: id, reason: (error as Error).message }, 'retention run failed');
        }
      }
    });
  }

  private async runPeriodic(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      await this.runAll();
    } catch (error) {
      this.logger.warn({ reason: (error as Error).message }, 'periodic retention run failed');
    } finally {
      this.sweeping = false;
    }
  }
}
