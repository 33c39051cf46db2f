import { Injectable, Logger } from '@nestjs/common';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context';
import type { CheckResultDto } from '../../common/dto/check-result.dto';
import { alreadyTaken, notFound } from '../../common/errors/api-exception';
import { pageOf, skipTake, type Page, type PageQueryDto } from '../../common/pagination/page';
import { SecretBox } from '../../crypto/secret-box';
import type { Notification } from '../../generated/prisma/client';
import { DiscordClient } from '../../integrations/discord/discord-client';
import { uniquely } from '../../prisma/prisma-errors';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import type {
  CreateNotificationDto,
  NotificationDto,
  ReplaceNotificationDto,
  UpdateNotificationDto,
} from './dto/notification.dto';
import { NotificationsRepository } from './notifications.repository';

/** The last digits of the webhook's id (public in Discord, unlike its token): tells two webhooks apart. */
function webhookIdHint(url: string): string | null {
  const id = /\/webhooks\/(\d+)\//.exec(url)?.[1];
  return id ? `…${id.slice(-4)}` : null;
}

function toDto(row: Notification, secrets: SecretBox): NotificationDto {
  return {
    id: row.id,
    name: row.name,
    discord_webhook_url_set: Boolean(row.webhookUrlEncrypted),
    webhook_id_hint: row.webhookUrlEncrypted ? webhookIdHint(secrets.decrypt(row.webhookUrlEncrypted)) : null,
    on_success: row.onSuccess,
    on_failure: row.onFailure,
    enabled: row.enabled,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

const nameTaken = () => alreadyTaken('name', 'A notification with this name already exists');

/** Discord webhooks a tenant's databases report to: CRUD, and a test message. */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly secrets: SecretBox,
    private readonly discord: DiscordClient,
    private readonly activity: ActivityLogService,
  ) {}

  async create(auth: AuthContext, input: CreateNotificationDto, meta: RequestMeta): Promise<NotificationDto> {
    const row = await uniquely(
      () =>
        this.notifications.create({
          tenantId: auth.tenantId,
          name: input.name.trim(),
          webhookUrlEncrypted: this.secrets.encrypt(input.discord_webhook_url),
          onSuccess: input.on_success ?? true,
          onFailure: input.on_failure ?? true,
          enabled: input.enabled ?? true,
        }),
      nameTaken,
    );
    await this.record(auth, meta, 'notification.create', row);
    return toDto(row, this.secrets);
  }

  async list(auth: AuthContext, query: PageQueryDto): Promise<Page<NotificationDto>> {
    const { skip, take } = skipTake(query);
    const [rows, total] = await this.notifications.listForTenant(auth.tenantId, skip, take);
    return pageOf(
      rows.map((row) => toDto(row, this.secrets)),
      total,
      query,
    );
  }

  async get(auth: AuthContext, id: string): Promise<NotificationDto> {
    return toDto(await this.require(auth, id), this.secrets);
  }

  async update(auth: AuthContext, id: string, input: UpdateNotificationDto, meta: RequestMeta) {
    await this.require(auth, id);
    const row = await uniquely(
      () =>
        this.notifications.update(id, {
          name: input.name?.trim(),
          webhookUrlEncrypted: input.discord_webhook_url ? this.secrets.encrypt(input.discord_webhook_url) : undefined,
          onSuccess: input.on_success,
          onFailure: input.on_failure,
          enabled: input.enabled,
        }),
      nameTaken,
    );
    await this.record(auth, meta, 'notification.update', row);
    return toDto(row, this.secrets);
  }

  /** PUT: exactly `input` (omitted switches back to their defaults); an omitted webhook URL is kept. */
  async replace(auth: AuthContext, id: string, input: ReplaceNotificationDto, meta: RequestMeta) {
    await this.require(auth, id);
    const row = await uniquely(
      () =>
        this.notifications.update(id, {
          name: input.name.trim(),
          webhookUrlEncrypted: input.discord_webhook_url ? this.secrets.encrypt(input.discord_webhook_url) : undefined,
          onSuccess: input.on_success ?? true,
          onFailure: input.on_failure ?? true,
          enabled: input.enabled ?? true,
        }),
      nameTaken,
    );
    await this.record(auth, meta, 'notification.update', row);
    return toDto(row, this.secrets);
  }

  async delete(auth: AuthContext, id: string, meta: RequestMeta): Promise<void> {
    const row = await this.require(auth, id);
    await this.notifications.delete(id);
    await this.record(auth, meta, 'notification.delete', row);
  }

  /** Posts a test embed to the webhook and says, in words, whether Discord took it. */
  /** Sends a test message to the saved webhook, or to `changes.discord_webhook_url` when given (not saved). */
  async test(
    auth: AuthContext,
    id: string,
    meta: RequestMeta,
    changes: UpdateNotificationDto = {},
  ): Promise<CheckResultDto> {
    const row = await this.require(auth, id);
    const name = changes.name?.trim() || row.name;
    const webhook = changes.discord_webhook_url ?? this.secrets.decrypt(row.webhookUrlEncrypted);
    const result = await this.sendTest(name, webhook);
    await this.record(auth, meta, 'notification.test', row, result.ok);
    return result;
  }

  /** Sends a test message to a webhook not saved yet (a form's Test before Add). Nothing is saved. */
  async testUnsaved(auth: AuthContext, input: CreateNotificationDto, meta: RequestMeta): Promise<CheckResultDto> {
    const name = input.name.trim();
    const result = await this.sendTest(name, input.discord_webhook_url);
    await this.activity.recordFor(auth, meta, {
      event: 'notification.test',
      outcome: result.ok ? 'success' : 'failure',
      resourceType: 'Notification',
      resourceName: name,
      details: { name, unsaved: true },
    });
    return result;
  }

  private async sendTest(name: string, webhook: string): Promise<CheckResultDto> {
    try {
      await this.discord.sendToWebhook(webhook, {
        embeds: [
          {
            title: 'DumpStation test notification',
            description: `Notifications from **${name}** will look like this.`,
            color: 0x228be6,
            timestamp: new Date().toISOString(),
          },
        ],
      });
      return { ok: true, message: 'Discord accepted the test message' };
    } catch (error) {
      // DiscordClient keeps the webhook's token out of its errors.
      const reason = (error as Error).message;
      this.logger.warn({ notification: name, reason }, 'notification test failed');
      return { ok: false, message: `Discord refused the message: ${reason}` };
    }
  }

  private async require(auth: AuthContext, id: string): Promise<Notification> {
    const row = await this.notifications.findInTenant(id, auth.tenantId);
    if (!row) throw notFound('Notification');
    return row;
  }

  private record(auth: AuthContext, meta: RequestMeta, event: string, row: Notification, ok = true) {
    return this.activity.recordFor(auth, meta, {
      event,
      outcome: ok ? 'success' : 'failure',
      resourceType: 'Notification',
      resourceId: row.id,
      resourceName: row.name,
      details: { name: row.name },
    });
  }
}
