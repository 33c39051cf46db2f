import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { APIEmbed } from 'discord.js';
import { AppConfig } from '../../config/app-config';
import { SecretBox } from '../../crypto/secret-box';
import { DiscordClient, DiscordDeliveryError } from '../../integrations/discord/discord-client';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { JobQueue, QUEUES, type JobContext } from '../jobs/job-queue';
import { NotificationsRepository } from './notifications.repository';

/** A Discord message queued on QUEUES.notification. Never the webhook URL: it is a secret, loaded at delivery. */
export interface NotificationJob {
  notificationId: string;
  tenantId: string;
  /** The database whose backup or restore it is about. */
  databaseId: string;
  embed: APIEmbed;
}

/** Notification jobs delivered at once by each process that runs jobs. */
const CONCURRENCY = 2;

/**
 * Delivers queued notifications (BackupNotifier) to their Discord webhook, in processes that
 * run jobs. A failed post is recorded in the activity log (`notification.deliver`, Warning)
 * and retried by the queue NOTIFICATION_RETRIES times, NOTIFICATION_RETRY_DELAY_SECONDS apart
 * (doubling); the last failure is recorded as an Error and the message is dropped. A refusal that
 * cannot change on a retry (the webhook deleted, its token wrong: Discord's 4xx) is an Error at
 * once, not retried. A backup's outcome never depends on it.
 */
@Injectable()
export class NotificationDelivery implements OnApplicationBootstrap {
  private readonly logger = new Logger(NotificationDelivery.name);

  constructor(
    private readonly config: AppConfig,
    private readonly queue: JobQueue,
    private readonly notifications: NotificationsRepository,
    private readonly secrets: SecretBox,
    private readonly discord: DiscordClient,
    private readonly activity: ActivityLogService,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: the worker starts once the service database answers (the API serves before that).
    this.queue
      .work<NotificationJob>(QUEUES.notification, CONCURRENCY, (job, context) => this.deliver(job, context))
      .catch((error: unknown) =>
        this.logger.error({ reason: (error as Error).message }, 'notification worker not started'),
      );
  }

  async deliver(job: NotificationJob, { retryCount, retryLimit }: Pick<JobContext, 'retryCount' | 'retryLimit'>) {
    const notification = await this.notifications.findInTenant(job.notificationId, job.tenantId);
    if (!notification?.enabled) {
      // Deleted or disabled since the message was queued: nobody wants it any more.
      this.logger.debug({ notificationId: job.notificationId }, 'notification gone or disabled; message dropped');
      return;
    }
    try {
      // discord.js does not retry on its own: the queue does, and each attempt is recorded.
      await this.discord.sendToWebhook(
        this.secrets.decrypt(notification.webhookUrlEncrypted),
        { embeds: [job.embed] },
        { retries: 0 },
      );
    } catch (error) {
      // DiscordClient keeps the webhook's token out of its errors.
      const reason = (error as Error).message;
      const refused = error instanceof DiscordDeliveryError && error.permanent ? error.status : undefined;
      const attempt = retryCount + 1;
      const attempts = retryLimit + 1;
      const last = refused !== undefined || retryCount >= retryLimit;
      // pg-boss waits between delay·2^n and twice that before retry n+1 (backoff with jitter).
      const delay = this.config.env.NOTIFICATION_RETRY_DELAY_SECONDS * 2 ** retryCount;
      const message =
        refused !== undefined
          ? `not delivered: Discord answered ${refused} (${reason}); not retried: check the notification's webhook URL`
          : last
            ? `not delivered after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}`
            : `attempt ${attempt} of ${attempts} failed: ${reason}; retrying in ${delay}–${2 * delay} s`;
      const log = { notificationId: notification.id, databaseId: job.databaseId, attempt, attempts, reason };
      if (last) this.logger.error(log, 'notification not delivered');
      else this.logger.warn(log, 'notification delivery failed; retrying');
      await this.activity.record({
        event: 'notification.deliver',
        outcome: 'failure',
        level: last ? 'error' : 'warn',
        tenantId: job.tenantId,
        resourceType: 'Notification',
        resourceId: notification.id,
        resourceName: notification.name,
        details: {
          message: message.slice(0, 1000),
          attempt,
          attempts,
          error: reason.slice(0, 500),
          database_id: job.databaseId,
          title: job.embed.title ?? null,
        },
      });
      if (!last) throw new Error(message);
    }
  }
}
