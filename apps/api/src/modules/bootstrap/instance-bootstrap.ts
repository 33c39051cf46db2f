import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { SecretBox } from '../../crypto/secret-box';
import { Prisma } from '../../generated/prisma/client';
import { TenantsRepository } from '../tenants/tenants.repository';
import { UsersRepository } from '../users/users.repository';

/**
 * On first start, creates the instance admin (SYSTEM_USERNAME / SYSTEM_EMAIL and their Discord
 * settings) as owner of a first tenant. Later starts find the user and change nothing.
 * main.ts runs it after the migrations, before serving.
 */
@Injectable()
export class InstanceBootstrap {
  private readonly logger = new Logger('InstanceBootstrap');

  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly secrets: SecretBox,
  ) {}

  async run(): Promise<void> {
    const { SYSTEM_USERNAME, SYSTEM_EMAIL, SYSTEM_DISCORD_WEBHOOK_URL, SYSTEM_DISCORD_USER_ID } = this.config.env;
    if (await this.users.findByUsername(SYSTEM_USERNAME)) return;
    try {
      await this.tenants.createWithOwner(
        { name: 'Default', slug: 'default' },
        {
          username: SYSTEM_USERNAME,
          email: SYSTEM_EMAIL,
          isInstanceAdmin: true,
          discordDelivery: SYSTEM_DISCORD_WEBHOOK_URL ? 'webhook' : SYSTEM_DISCORD_USER_ID ? 'bot_dm' : 'none',
          discordWebhookUrlEncrypted: SYSTEM_DISCORD_WEBHOOK_URL
            ? this.secrets.encrypt(SYSTEM_DISCORD_WEBHOOK_URL)
            : null,
          discordUserId: SYSTEM_DISCORD_USER_ID ?? null,
        },
      );
      this.logger.log(`Created the instance admin "${SYSTEM_USERNAME}" and the tenant "Default"`);
    } catch (error) {
      // Another replica booting at the same moment created them first.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return;
      throw error;
    }
  }
}
