import type { User } from '../../generated/prisma/client';
import type { UserDto } from './dto/user.dto';

export function toUserDto(user: User): UserDto {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    display_name: user.displayName,
    is_instance_admin: user.isInstanceAdmin,
    totp_enabled: user.totpEnabled,
    discord_delivery: user.discordDelivery,
    discord_user_id: user.discordUserId,
    discord_webhook_url_set: user.discordWebhookUrlEncrypted !== null,
  };
}
