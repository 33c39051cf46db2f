import { HttpStatus, Injectable } from '@nestjs/common';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context';
import { ApiException } from '../../common/errors/api-exception';
import { SecretBox } from '../../crypto/secret-box';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { TwoFactorService } from '../auth/two-factor.service';
import { CODE_DESTINATION_FIELDS, type UpdateProfileDto, type UserDto } from './dto/user.dto';
import { toUserDto } from './user.mapper';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly secrets: SecretBox,
    private readonly activity: ActivityLogService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  async me(auth: AuthContext): Promise<UserDto> {
    const user = await this.users.findById(auth.userId);
    if (!user) throw new ApiException(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'This account no longer exists');
    return toUserDto(user);
  }

  async updateProfile(auth: AuthContext, input: UpdateProfileDto, meta: RequestMeta): Promise<UserDto> {
    // Whoever holds a session must not be able to redirect the account's codes to themselves.
    if (CODE_DESTINATION_FIELDS.some((field) => input[field] !== undefined)) {
      const current = await this.twoFactor.requireUser(auth.userId);
      await this.twoFactor.confirmCurrentFactor(current, input.confirmation_code, 'confirmation_code');
    }
    const user = await this.users.update(auth.userId, {
      ...(input.display_name !== undefined ? { displayName: input.display_name } : {}),
      ...(input.discord_delivery !== undefined ? { discordDelivery: input.discord_delivery } : {}),
      ...(input.discord_user_id !== undefined ? { discordUserId: input.discord_user_id } : {}),
      ...(input.discord_webhook_url !== undefined
        ? {
            discordWebhookUrlEncrypted:
              input.discord_webhook_url === null ? null : this.secrets.encrypt(input.discord_webhook_url),
          }
        : {}),
    });
    await this.activity.recordFor(auth, meta, {
      event: 'user.profile.update',
      resourceType: 'User',
      resourceId: user.id,
      details: { fields: Object.keys(input).filter((field) => field !== 'confirmation_code') },
    });
    return toUserDto(user);
  }
}
