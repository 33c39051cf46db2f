import { Injectable, Logger } from '@nestjs/common';
import type { Backup, Restore } from '../../generated/prisma/client';
import { EventsRepository } from './events.repository';
import { EVENTS_CHANNEL, type EventEnvelope, type TenantEventName, type TenantEventPayloads } from './events.types';

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7_900;
/** How much of an error message an event carries (the row has all of it). */
const MAX_ERROR_CHARS = 1_000;
/** Events waiting to be sent by this process; beyond this (the service database is very slow or down) new ones are dropped. */
const MAX_WAITING = 1_000;

const toNumber = (value: bigint | number | null) => (value === null ? null : Number(value));
const trimmed = (message: string | null) => (message === null ? null : message.slice(0, MAX_ERROR_CHARS));

/**
 * Publishes the live events of a tenant (GET /api/v1/events) to every process of the cluster,
 * through `pg_notify('dumpstation_events', …)` on the service database. Fire and forget: every
 * method returns at once and never throws; a failure is logged (a warning the first time after
 * a success, then at debug) and the event is lost — clients told `reset` refetch.
 *
 * Events are sent one after the other, in the order this process published them (so a backup's
 * last `backup.progress` never overtakes its `backup.finished`).
 */
@Injectable()
export class EventPublisher {
  private readonly logger = new Logger(EventPublisher.name);
  private chain: Promise<void> = Promise.resolve();
  private waiting = 0;
  private failing = false;

  constructor(private readonly events: EventsRepository) {}

  backupCreated(backup: Backup): void {
    this.publish(backup.tenantId, 'backup.created', {
      backup_id: backup.id,
      database_id: backup.databaseId,
      name: backup.name,
      status: backup.status,
      trigger: backup.trigger,
      attempt: backup.attempt,
      retry_of_id: backup.retryOfId,
    });
  }

  backupStarted(backup: Pick<Backup, 'id' | 'tenantId' | 'databaseId' | 'name' | 'attempt'>): void {
    this.publish(backup.tenantId, 'backup.started', {
      backup_id: backup.id,
      database_id: backup.databaseId,
      name: backup.name,
      attempt: backup.attempt,
    });
  }

  backupProgress(
    backup: Pick<Backup, 'id' | 'tenantId' | 'databaseId'>,
    bytesProcessed: number,
    bytesPerSecond: number,
  ): void {
    this.publish(backup.tenantId, 'backup.progress', {
      backup_id: backup.id,
      database_id: backup.databaseId,
      bytes_processed: bytesProcessed,
      rate: Math.max(0, Math.round(bytesPerSecond)),
    });
  }

  /** `backup` as recorded when it ended (success or failed). */
  backupFinished(backup: Backup): void {
    this.publish(backup.tenantId, 'backup.finished', {
      backup_id: backup.id,
      database_id: backup.databaseId,
      name: backup.name,
      status: backup.status,
      size_bytes: toNumber(backup.sizeBytes),
      duration_ms: backup.durationMs,
      error_message: trimmed(backup.errorMessage),
    });
  }

  restoreCreated(restore: Restore, databaseId: string): void {
    this.publish(restore.tenantId, 'restore.created', {
      restore_id: restore.id,
      backup_id: restore.backupId,
      database_id: databaseId,
      status: restore.status,
    });
  }

  /** `restore` as recorded when it ended (success or failed). */
  restoreFinished(restore: Restore, databaseId: string): void {
    this.publish(restore.tenantId, 'restore.finished', {
      restore_id: restore.id,
      backup_id: restore.backupId,
      database_id: databaseId,
      status: restore.status,
      duration_ms: restore.durationMs,
      error_message: trimmed(restore.errorMessage),
    });
  }

  /**
   * For the protection code (staleness, stats): call when a database's protection changed, e.g.
   * `events.databaseProtection(db.tenantId, { database_id: db.id, name: db.name, protection: 'stale', previous: 'ok' })`.
   * The console refetches that database and the stats.
   */
  databaseProtection(tenantId: string, payload: TenantEventPayloads['database.protection']): void {
    this.publish(tenantId, 'database.protection', payload);
  }

  /** Resolves once everything published so far was sent (or failed); for tests and shutdown. */
  flushed(): Promise<void> {
    return this.chain;
  }

  private publish<E extends TenantEventName>(tenantId: string, event: E, data: TenantEventPayloads[E]): void {
    const envelope: EventEnvelope = { t: tenantId, e: event, d: data as unknown as Record<string, unknown> };
    const payload = JSON.stringify(envelope);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      this.logger.warn({ event, bytes: Buffer.byteLength(payload) }, 'event too large for NOTIFY; not published');
      return;
    }
    if (this.waiting >= MAX_WAITING) {
      this.logger.debug({ event }, 'too many events waiting to be published; dropped');
      return;
    }
    this.waiting++;
    this.chain = this.chain
      .then(() => this.events.notify(EVENTS_CHANNEL, payload))
      .then(
        () => {
          this.failing = false;
        },
        (error: unknown) => {
          const reason = (error as Error)?.message ?? String(error);
          if (this.failing) this.logger.debug({ event, reason }, 'event not published');
          else this.logger.warn({ event, reason }, 'event not published (further failures are logged at debug)');
          this.failing = true;
        },
      )
      .finally(() => {
        this.waiting--;
      });
  }
}
