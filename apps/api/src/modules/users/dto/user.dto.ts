import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches, ValidateIf } from 'class-validator';
import { IsName, IsOptionalNonNull, nameSchema, TOTP_OR_RECOVERY_CODE } from '../../../common/validation/decorators';
import { DISCORD_WEBHOOK } from '../../../config/app-config';

const DISCORD_USER_ID = /^\d{5,25}$/;

const DELIVERIES = ['none', 'webhook', 'bot_dm'] as const;

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'alice' }) username: string;
  @ApiProperty({ example: 'alice@example.com' }) email: string;
  @ApiProperty({ nullable: true, type: String, example: 'Alice Martin' }) display_name: string | null;
  @ApiProperty({ description: 'May see every tenant.' }) is_instance_admin: boolean;
  @ApiProperty() totp_enabled: boolean;
  @ApiProperty({ enum: DELIVERIES, description: 'How one-time codes reach this user; `none` uses the system default.' })
  discord_delivery: (typeof DELIVERIES)[number];
  @ApiProperty({ nullable: true, type: String, example: '80351110224678912' }) discord_user_id: string | null;
  @ApiProperty({ description: 'Whether a personal webhook URL is stored (the URL itself is never returned).' })
  discord_webhook_url_set: boolean;
}

export class UpdateProfileDto {
  @ApiPropertyOptional({ example: 'Alice Martin', nullable: true, type: String, ...nameSchema() })
  @IsOptional()
  @IsName()
  display_name?: string | null;

  @ApiPropertyOptional({ enum: DELIVERIES })
  @IsOptionalNonNull()
  @IsIn(DELIVERIES)
  discord_delivery?: (typeof DELIVERIES)[number];

  @ApiPropertyOptional({ example: '80351110224678912', nullable: true, type: String, pattern: DISCORD_USER_ID.source })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(DISCORD_USER_ID, { message: 'discord_user_id must be a Discord user id (digits)' })
  discord_user_id?: string | null;

  @ApiPropertyOptional({
    example: 'https://discord.com/api/webhooks/123456789012345678/abcDEF-ghi',
    nullable: true,
    type: String,
    description: 'Write-only: stored encrypted, never returned. `null` removes it.',
    pattern: DISCORD_WEBHOOK.source,
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(DISCORD_WEBHOOK, { message: 'discord_webhook_url must be a Discord webhook URL' })
  discord_webhook_url?: string | null;

  @ApiPropertyOptional({
    example: '482913',
    description:
      'Required when changing where one-time codes go (`discord_delivery`, `discord_user_id`, `discord_webhook_url`): with 2FA on, a current TOTP code or a recovery code; otherwise a fresh code from `POST /auth/confirmation-code`.',
    pattern: TOTP_OR_RECOVERY_CODE.source,
  })
  @IsOptionalNonNull()
  @Matches(TOTP_OR_RECOVERY_CODE, {
    message: 'confirmation_code must be a 6-digit code or a recovery code (xxxxx-xxxxx)',
  })
  confirmation_code?: string;
}

/** Profile fields that decide where sign-in codes go: changing them needs proof of the current factor. */
export const CODE_DESTINATION_FIELDS = ['discord_delivery', 'discord_user_id', 'discord_webhook_url'] as const;
