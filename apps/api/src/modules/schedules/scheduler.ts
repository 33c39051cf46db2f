import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import type { Database } from '../../generated/prisma/client';
import { BackupsService } from '../backups/backups.service';
import { Clock } from './clock';
import { runsBetween } from './cron-slots';
import { SchedulesRepository } from './schedules.repository';

/** How many missed slots of one database are looked at (and recorded) at most in one pass. */
const MAX_SLOTS = 500;
export const STILL_RUNNING = 'Skipped: the previous backup of this database was still running';
export const SUPERSEDED = 'Skipped: missed while no worker was running; a later missed slot ran instead';
export const missedBeyondWindow = (minutes: number) =>
  `Skipped: missed while no worker was running, and more than ${minutes} minutes ago (SCHEDULE_CATCH_UP_MINUTES) when a worker came back`;

/**
 * Runs in every process that runs jobs (APP_ROLE worker or all). Each pass, for every enabled
 * database with a schedule, it looks at the slots due since the last one recorded (or since the
 * settings last changed) and records each exactly once across replicas: the unique key on
 * (database_id, scheduled_for) lets one insert win; only the winner queues the backup.
 * The newest due slot runs unless it is older than SCHEDULE_CATCH_UP_MINUTES or a backup of the
 * database is still running; every other due slot is a `skipped` row saying why.
 */
@Injectable()
export class Scheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Scheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly schedules: SchedulesRepository,
    private readonly backups: BackupsService,
  ) {}

  get enabled(): boolean {
    return this.config.env.APP_ROLE !== 'api';
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    // At once, before serving (start-up catches up on missed slots; a failure is only logged), then every SCHEDULER_POLL_MS.
    this.trigger();
    await this.pass;
    this.timer = setInterval(() => this.trigger(), this.config.env.SCHEDULER_POLL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.pass;
  }

  private trigger(): void {
    if (this.pass || this.stopped) return;
    this.pass = this.runDue()
      .catch((error: unknown) => this.logger.warn({ reason: (error as Error).message }, 'schedule pass failed'))
      .finally(() => (this.pass = undefined));
  }

  /** One pass over every scheduled database; exported for tests that drive the clock. */
  async runDue(): Promise<void> {
    const now = this.clock.now();
    for (const database of await this.schedules.scheduled()) {
      if (this.stopped) return;
      try {
        await this.runDueFor(database, now);
      } catch (error) {
        this.logger.warn({ database: database.id, reason: (error as Error).message }, 'schedule slot not recorded');
      }
    }
  }

  private async runDueFor(database: Database, now: Date): Promise<void> {
    // Slots before the settings last changed (a new schedule, a resume after a pause) are not missed ones.
    const last = await this.schedules.lastSlot(database.id);
    const since = last && last > database.scheduleUpdatedAt ? last : database.scheduleUpdatedAt;
    let due = runsBetween(database.schedule!, database.timezone, since, now, MAX_SLOTS);
    const windowMs = this.config.env.SCHEDULE_CATCH_UP_MINUTES * 60_000;
    if (due.length === MAX_SLOTS) {
      // Too many to record each: only those inside the catch-up window and the one before it.
      const windowStart = new Date(now.getTime() - windowMs);
      due = runsBetween(database.schedule!, database.timezone, windowStart, now, MAX_SLOTS);
      this.logger.warn({ database: database.id }, `more than ${MAX_SLOTS} missed slots: older ones are not recorded`);
    }
    if (!due.length) return;
    const newest = due[due.length - 1];
    for (const slot of due.slice(0, -1)) {
      const reason =
        now.getTime() - slot.getTime() > windowMs
          ? missedBeyondWindow(this.config.env.SCHEDULE_CATCH_UP_MINUTES)
          : SUPERSEDED;
      await this.backups.skipScheduled(database, slot, reason);
    }
    if (now.getTime() - newest.getTime() > windowMs) {
      await this.backups.skipScheduled(database, newest, missedBeyondWindow(this.config.env.SCHEDULE_CATCH_UP_MINUTES));
    } else if (await this.schedules.busy(database.id)) {
      await this.backups.skipScheduled(database, newest, STILL_RUNNING);
    } else {
      const backup = await this.backups.startScheduled(database, newest);
      if (backup) this.logger.log({ database: database.id, slot: newest.toISOString() }, 'scheduled backup started');
    }
  }
}
