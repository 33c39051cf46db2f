import { Injectable, Logger } from '@nestjs/common';
import type { APIEmbed } from 'discord.js';
import { formatBytesExact } from '../../common/format/bytes';
import { AppConfig } from '../../config/app-config';
import type { Backup, Database } from '../../generated/prisma/client';
import { JobQueue, QUEUES } from '../jobs/job-queue';
import type { NotificationJob } from '../notifications/notification-delivery';
import { NotificationsRepository } from '../notifications/notifications.repository';

/**
 * Queues backup and restore outcomes for the database's Discord webhook (NotificationDelivery
 * posts them, retried NOTIFICATION_RETRIES times); never fails the job.
 */
@Injectable()
export class BackupNotifier {
  private readonly logger = new Logger(BackupNotifier.name);

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly queue: JobQueue,
    private readonly config: AppConfig,
  ) {}

  async backupFinished(database: Database, backup: Backup): Promise<void> {
    const ok = backup.status === 'success';
    const fields = [
      { name: 'Database', value: database.name, inline: true },
      { name: 'Backup', value: backup.name, inline: true },
      ...(ok
        ? [
            { name: 'Size', value: formatBytesExact(Number(backup.sizeBytes ?? 0)), inline: true },
            { name: 'Duration', value: `${((backup.durationMs ?? 0) / 1000).toFixed(1)} s`, inline: true },
          ]
        : [{ name: 'Error', value: (backup.errorMessage ?? 'unknown error').slice(0, 1000) }]),
    ];
    await this.send(database, ok, {
      title: ok ? `Backup of ${database.name} succeeded` : `Backup of ${database.name} failed`,
      color: ok ? 0x2f9e44 : 0xe03131,
      fields,
      timestamp: new Date().toISOString(),
    });
  }

  async restoreFailed(database: Database, backupName: string, error: string): Promise<void> {
    await this.send(database, false, {
      title: `Restore of ${database.name} failed`,
      color: 0xe03131,
      fields: [
        { name: 'Backup', value: backupName, inline: true },
        { name: 'Error', value: error.slice(0, 1000) },
      ],
      timestamp: new Date().toISOString(),
    });
  }

  /**
   * A database turned `stale` (its newest success is older than its maximum age) or is back `ok`.
   * Both go where failures go (`on_failure`): whoever got the alert gets the all-clear.
   */
  async stalenessChanged(
    database: Pick<Database, 'id' | 'tenantId' | 'name' | 'notificationId'>,
    change: { state: 'stale' | 'ok'; age: string; maxAge: string; neverSucceeded: boolean; at: Date },
  ): Promise<void> {
    const stale = change.state === 'stale';
    const newest = change.neverSucceeded
      ? `no successful backup in the ${change.age} since it was scheduled`
      : `newest successful backup is ${change.age} old`;
    await this.send(database, false, {
      title: stale ? `${database.name} is stale` : `${database.name} is protected again`,
      description: stale
        ? `${database.name} is stale: ${newest}, more than the allowed ${change.maxAge}`
        : `${database.name} is back to ok: ${newest}, within the allowed ${change.maxAge}`,
      color: stale ? 0xf08c00 : 0x2f9e44,
      fields: [
        { name: 'Database', value: database.name, inline: true },
        { name: 'Newest success', value: change.neverSucceeded ? 'never' : `${change.age} ago`, inline: true },
        { name: 'Allowed', value: change.maxAge, inline: true },
      ],
      timestamp: change.at.toISOString(),
    });
  }

  private async send(
    database: Pick<Database, 'id' | 'tenantId' | 'notificationId'>,
    success: boolean,
    embed: APIEmbed,
  ): Promise<void> {
    if (!database.notificationId) return;
    try {
      const notification = await this.notifications.findInTenant(database.notificationId, database.tenantId);
      if (!notification?.enabled || !(success ? notification.onSuccess : notification.onFailure)) return;
      // No webhook URL in the job (a secret): the delivery loads and decrypts it.
      const job: NotificationJob = {
        notificationId: notification.id,
        tenantId: database.tenantId,
        databaseId: database.id,
        embed,
      };
      await this.queue.send(QUEUES.notification, job, {
        retryLimit: this.config.env.NOTIFICATION_RETRIES,
        retryDelaySeconds: this.config.env.NOTIFICATION_RETRY_DELAY_SECONDS,
      });
    } catch (error) {
      this.logger.warn({ databaseId: database.id, reason: (error as Error).message }, 'notification not queued');
    }
  }
}
