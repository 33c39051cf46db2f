import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsBoolean, Matches } from 'class-validator';
import { PageDto } from '../../../common/pagination/page';
import { IsName, IsOptionalNonNull, nameSchema } from '../../../common/validation/decorators';
import { DISCORD_WEBHOOK } from '../../../config/app-config';

export class CreateNotificationDto {
  @ApiProperty({ example: 'ops-alerts', ...nameSchema() })
  @IsName()
  name: string;

  @ApiProperty({
    example: 'https://discord.com/api/webhooks/123456789012345678/abcDEF-ghi',
    description: 'Write-only: stored encrypted, never returned.',
    pattern: DISCORD_WEBHOOK.source,
  })
  @Matches(DISCORD_WEBHOOK, { message: 'discord_webhook_url must be a Discord webhook URL' })
  discord_webhook_url: string;

  @ApiPropertyOptional({ default: true, description: 'Post when a backup succeeds.' })
  @IsOptionalNonNull()
  @IsBoolean()
  on_success?: boolean;

  @ApiPropertyOptional({ default: true, description: 'Post when a backup or restore fails.' })
  @IsOptionalNonNull()
  @IsBoolean()
  on_failure?: boolean;

  @ApiPropertyOptional({ default: true })
  @IsOptionalNonNull()
  @IsBoolean()
  enabled?: boolean;
}

/** PATCH: every field may be left out; none may be null (skipNullProperties: false). */
export class UpdateNotificationDto extends PartialType(CreateNotificationDto, { skipNullProperties: false }) {}

/** PUT: the whole notification as for POST, except that the webhook URL (a secret) may be left out to keep it. */
export class ReplaceNotificationDto extends OmitType(CreateNotificationDto, ['discord_webhook_url']) {
  @ApiPropertyOptional({
    example: 'https://discord.com/api/webhooks/123456789012345678/abcDEF-ghi',
    description: 'Write-only. Left out, the stored webhook URL is kept.',
    pattern: DISCORD_WEBHOOK.source,
  })
  @IsOptionalNonNull()
  @Matches(DISCORD_WEBHOOK, { message: 'discord_webhook_url must be a Discord webhook URL' })
  discord_webhook_url?: string;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ops-alerts' }) name: string;
  @ApiProperty({ description: 'A webhook URL is stored (it is never returned).' }) discord_webhook_url_set: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '…4521',
    description:
      "The last 4 digits of the webhook's id (Discord's public part of the URL, never its token), to tell two webhooks apart.",
  })
  webhook_id_hint: string | null;
  @ApiProperty() on_success: boolean;
  @ApiProperty() on_failure: boolean;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}
export class NotificationPageDto extends PageDto(NotificationDto) {}
