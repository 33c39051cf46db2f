import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { BackupNotifier } from '../backups/backup-notifier';
import { EventPublisher } from '../events/event-publisher';
import { JobQueue, QUEUES } from '../jobs/job-queue';
import type { ProtectionRow } from '../protection/protection.repository';
import { ProtectionService, type Assessment } from '../protection/protection.service';
import { StalenessRepository, type StalenessState } from './staleness.repository';

/** "2 d 3 h", "5 h 10 min", "12 min": the precision an alert needs. */
export function humanDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days) return hours ? `${days} d ${hours} h` : `${days} d`;
  if (hours) return rest ? `${hours} h ${rest} min` : `${hours} h`;
  return `${rest} min`;
}

/** A job of QUEUES.staleness: one database after its backup, or every database (no id). */
export interface StalenessJob {
  databaseId?: string;
}

export interface StalenessCheckResult {
  /** Databases notified stale, and back ok, by this check. */
  stale: string[];
  recovered: string[];
}

/**
 * Staleness alerts (issue 13): every STALENESS_CHECK_MINUTES (one job per interval for the
 * cluster), each database whose protection turned `stale` gets one Discord embed and one
 * `database.stale` activity entry; back `ok` after that, one `database.recovered` of each. The
 * change is claimed with a conditional UPDATE first, so two replicas never both tell it.
 */
@Injectable()
export class StalenessService implements OnModuleInit {
  private readonly logger = new Logger(StalenessService.name);
  private checking = false;

  constructor(
    private readonly config: AppConfig,
    private readonly protection: ProtectionService,
    private readonly repository: StalenessRepository,
    private readonly notifier: BackupNotifier,
    private readonly activity: ActivityLogService,
    private readonly queue: JobQueue,
    private readonly events: EventPublisher,
  ) {}

  onModuleInit(): void {
    if (!this.queue.runsJobs) return;
    // One queue for both: `{ databaseId }` after a successful backup (BackupRunner), `{}` periodically.
    void this.queue
      .work<StalenessJob>(QUEUES.staleness, 1, (job) =>
        job.databaseId ? this.afterBackup(job.databaseId) : this.runPeriodic(),
      )
      .catch((error: unknown) =>
        this.logger.warn({ reason: (error as Error).message }, 'staleness worker not started'),
      );
    // As retention: one check per interval for the whole cluster.
    this.queue.offerEvery(QUEUES.staleness, this.config.env.STALENESS_CHECK_MINUTES);
  }

  /** One check over every database of every tenant, as of the injected clock. */
  async checkAll(now = this.protection.now()): Promise<StalenessCheckResult> {
    const result: StalenessCheckResult = { stale: [], recovered: [] };
    for (const { row, ...assessment } of await this.protection.ofTenant(null, now)) {
      try {
        const state = await this.checkOne(row, assessment, now);
        if (state === 'stale') result.stale.push(row.id);
        if (state === 'ok') result.recovered.push(row.id);
      } catch (error) {
        this.logger.warn({ databaseId: row.id, reason: (error as Error).message }, 'staleness check failed');
      }
    }
    return result;
  }

  /** One database (right after its successful backup: a recovery is told at once). */
  async checkDatabase(databaseId: string, now = this.protection.now()): Promise<StalenessState | null> {
    const row = (await this.protection.ofDatabases([databaseId], now)).get(databaseId);
    return row ? this.checkOne(row, row, now) : null;
  }

  private async afterBackup(databaseId: string): Promise<void> {
    try {
      await this.checkDatabase(databaseId);
    } catch (error) {
      this.logger.warn({ databaseId, reason: (error as Error).message }, 'staleness check after the backup failed');
    }
  }

  /** The change this check told for the database, if any. */
  private async checkOne(row: ProtectionRow, assessment: Assessment, now: Date): Promise<StalenessState | null> {
    const { protection } = assessment;
    if (protection === 'stale' && row.stalenessNotified !== 'stale') {
      if (!(await this.repository.claim(row.id, 'stale', now))) return null;
      await this.tell(row, assessment, 'stale', now);
      return 'stale';
    }
    if (protection === 'ok' && row.stalenessNotified === 'stale') {
      if (!(await this.repository.claim(row.id, 'ok', now))) return null;
      await this.tell(row, assessment, 'ok', now);
      return 'ok';
    }
    // No schedule (or paused) and no max_age_hours any more: nothing to be stale against, and no recovery to tell.
    if (protection === 'unscheduled' && row.stalenessNotified === 'stale') await this.repository.forget(row.id, now);
    return null;
  }

  private async tell(row: ProtectionRow, assessment: Assessment, state: StalenessState, now: Date): Promise<void> {
    const freshSince = row.lastSuccessAt ?? row.scheduleUpdatedAt;
    const age = humanDuration(now.getTime() - freshSince.getTime());
    const maxAge = humanDuration(assessment.maxAgeMs ?? 0);
    const neverSucceeded = row.lastSuccessAt === null;
    await this.notifier.stalenessChanged(row, { state, age, maxAge, neverSucceeded, at: now });
    const stale = state === 'stale';
    // Open consoles refetch the database and the stats at once.
    this.events.databaseProtection(row.tenantId, {
      database_id: row.id,
      name: row.name,
      protection: assessment.protection,
      previous: stale ? (row.stalenessNotified ?? 'ok') : 'stale',
    });
    await this.activity.record({
      event: stale ? 'database.stale' : 'database.recovered',
      outcome: stale ? 'failure' : 'success',
      level: stale ? 'warn' : 'info',
      tenantId: row.tenantId,
      resourceType: 'Database',
      resourceId: row.id,
      resourceName: row.name,
      details: {
        name: row.name,
        protection: assessment.protection,
        last_success_at: row.lastSuccessAt?.toISOString() ?? null,
        age_hours: Math.round(((now.getTime() - freshSince.getTime()) / 3_600_000) * 100) / 100,
        max_age_hours: assessment.effectiveMaxAgeHours,
      },
    });
  }

  private async runPeriodic(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      await this.checkAll();
    } catch (error) {
      this.logger.warn({ reason: (error as Error).message }, 'periodic staleness check failed');
    } finally {
      this.checking = false;
    }
  }
}
