import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { SecretBox } from '../../crypto/secret-box';
import { DiscordClient, type DiscordMessage } from '../../integrations/discord/discord-client';
import type { User } from '../../generated/prisma/client';

/**
 * Sends a one-time code where the user asked (their webhook, or a bot DM), else to the
 * system default webhook; outside production with no Discord at all, writes it to the log.
 */
@Injectable()
export class OtpDelivery {
  private readonly logger = new Logger('OtpDelivery');

  constructor(
    private readonly config: AppConfig,
    private readonly discord: DiscordClient,
    private readonly secrets: SecretBox,
  ) {}

  async deliver(user: User, code: string): Promise<void> {
    const minutes = this.config.env.OTP_EXPIRATION_MINUTES;
    const message: DiscordMessage = {
      content: `DumpStation sign-in code for **${user.username}**: **${code}**`,
      embeds: [
        {
          title: 'Your DumpStation sign-in code',
          description: `**${code}**\n\nValid for ${minutes} minutes, once. If you did not try to sign in, ignore this message.`,
          color: 0x129c8b,
        },
      ],
    };
    if (user.discordDelivery === 'webhook' && user.discordWebhookUrlEncrypted) {
      return this.discord.sendToWebhook(this.secrets.decrypt(user.discordWebhookUrlEncrypted), message);
    }
    if (user.discordDelivery === 'bot_dm' && user.discordUserId && this.config.env.DISCORD_BOT_TOKEN) {
      return this.discord.sendDirectMessage(user.discordUserId, message);
    }
    if (this.config.env.DISCORD_DEFAULT_WEBHOOK_URL) {
      return this.discord.sendToWebhook(this.config.env.DISCORD_DEFAULT_WEBHOOK_URL, message);
    }
    if (!this.config.isProduction) {
      // Development convenience only; the configuration check refuses this in production.
      this.logger.warn(`\n\n  >>> DEV ONLY: no Discord configured. One-time code for ${user.username}: ${code} <<<\n`);
      return;
    }
    throw new Error(`no Discord delivery is configured for ${user.username}`);
  }
}
