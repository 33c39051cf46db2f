import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { ActivityLogsRepository } from '../activity-logs/activity-logs.repository';
import { JobQueue, QUEUES } from '../jobs/job-queue';
import { InvitationsRepository } from '../tenants/invitations.repository';

const DAY_MS = 86_400_000;

/** What one clean-up removed (the details of its `maintenance.run` entry). */
export interface MaintenanceResult {
  activity_logs_removed: number;
  invitations_removed: number;
  retention_days: number;
  /** Entries created before this instant were removed. */
  cutoff: string;
}

/**
 * The daily clean-up (MAINTENANCE_CRON, UTC): removes activity log entries older than
 * ACTIVITY_LOG_RETENTION_DAYS and invitations that expired unanswered. pg-boss sends one job per
 * cron slot across the cluster, so it runs once however many workers there are; each run is
 * recorded as one account-less entry (`maintenance.run`, no tenant).
 */
@Injectable()
export class Maintenance implements OnApplicationBootstrap {
  private readonly logger = new Logger(Maintenance.name);

  constructor(
    private readonly config: AppConfig,
    private readonly queue: JobQueue,
    private readonly activityLogs: ActivityLogsRepository,
    private readonly invitations: InvitationsRepository,
    private readonly activity: ActivityLogService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.queue.runsJobs) return;
    // Not awaited: it starts once the service database answers (the API serves before that).
    // schedule() is an upsert by name: every worker calling it at boot leaves one schedule.
    void Promise.all([
      this.queue.schedule(QUEUES.maintenance, this.config.env.MAINTENANCE_CRON),
      this.queue.work(QUEUES.maintenance, 1, (_job, { signal }) => this.run(signal).then(() => undefined)),
    ]).catch((error: unknown) =>
      this.logger.error({ reason: (error as Error).message }, 'daily clean-up not scheduled'),
    );
  }

  /** One clean-up; a failure is logged and recorded (the next slot tries again), never thrown. */
  async run(signal?: AbortSignal): Promise<MaintenanceResult> {
    const retentionDays = this.config.env.ACTIVITY_LOG_RETENTION_DAYS;
    const cutoff = new Date(Date.now() - retentionDays * DAY_MS);
    const result: MaintenanceResult = {
      activity_logs_removed: 0,
      invitations_removed: 0,
      retention_days: retentionDays,
      cutoff: cutoff.toISOString(),
    };
    try {
      result.activity_logs_removed = await this.activityLogs.deleteOlderThan(cutoff, signal);
      result.invitations_removed = await this.invitations.deleteExpired();
    } catch (error) {
      const reason = (error as Error).message;
      this.logger.error({ ...result, reason }, 'daily clean-up failed');
      await this.activity.record({
        event: 'maintenance.run',
        outcome: 'failure',
        level: 'error',
        tenantId: null,
        details: { ...result, error: reason },
      });
      return result;
    }
    this.logger.log(result, 'daily clean-up done');
    await this.activity.record({ event: 'maintenance.run', tenantId: null, details: { ...result } });
    return result;
  }
}
