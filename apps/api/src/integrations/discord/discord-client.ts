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
      throw new Error(
        String((error as Error)?.message ?? error)
          .split(token)
          .join('<token>'),
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
