import { Injectable } from '@nestjs/common';
import { REST, Routes, WebhookClient, type APIEmbed } from 'discord.js';
import { AppConfig, DISCORD_WEBHOOK } from '../../config/app-config';

export interface DiscordMessage {
  content?: string;
  embeds?: APIEmbed[];
}

/** Splits a stored webhook URL into id and token: discord.js's `{ url }` form rejects other API hosts. */
export function parseWebhookUrl(url: string): { id: string; token: string } {
  if (!DISCORD_WEBHOOK.test(url)) throw new Error('not a Discord webhook URL');
  const [, id, token] = /\/webhooks\/(\d+)\/([\w-]+)$/.exec(url)!;
  return { id, token };
}

/**
 * A webhook post Discord refused or that did not reach it. `status` is Discord's HTTP status when
 * it answered; the message never carries the webhook's token.
 */
export class DiscordDeliveryError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = 'DiscordDeliveryError';
  }

  /**
   * Trying again cannot help: the webhook is gone or its token wrong (401/403/404), or the message
   * itself is refused (other 4xx). Rate limits (429) and timeouts (408) pass; 5xx and network
   * errors are outages.
   */
  get permanent(): boolean {
    return this.status !== undefined && this.status >= 400 && this.status < 500 && ![408, 429].includes(this.status);
  }
}

/** Sends messages through Discord's API (or, in tests, DISCORD_API_URL's stand-in) with discord.js. */
@Injectable()
export class DiscordClient {
  constructor(private readonly config: AppConfig) {}

  /**
   * `retries`: how often discord.js itself tries a 5xx or a timeout again (default 1); callers
   * that retry through the job queue pass 0.
   */
  async sendToWebhook(webhookUrl: string, message: DiscordMessage, options: { retries?: number } = {}): Promise<void> {
    const { id, token } = parseWebhookUrl(webhookUrl);
    const webhook = new WebhookClient(
      { id, token },
      {
        rest: { api: this.config.env.DISCORD_API_URL, retries: options.retries ?? 1, timeout: 10_000 },
      },
    );
    try {
      await webhook.send({ ...message, allowedMentions: { parse: [] } });
    } catch (error) {
      // The webhook's token is a secret: no caller may carry it into an answer or a log line.
      const status = (error as { status?: unknown })?.status;
      throw new DiscordDeliveryError(
        String((error as Error)?.message ?? error)
          .split(token)
          .join('<token>'),
        typeof status === 'number' ? status : undefined,
      );
    } finally {
      webhook.destroy();
    }
  }

  /** A direct message from the configured bot to a user id. */
  async sendDirectMessage(discordUserId: string, message: DiscordMessage): Promise<void> {
    const token = this.config.env.DISCORD_BOT_TOKEN;
    if (!token) throw new Error('DISCORD_BOT_TOKEN is not configured');
    const rest = new REST({ api: this.config.env.DISCORD_API_URL, retries: 1, timeout: 10_000 }).setToken(token);
    const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: discordUserId } })) as {
      id: string;
    };
    await rest.post(Routes.channelMessages(channel.id), { body: { ...message, allowed_mentions: { parse: [] } } });
  }
}
