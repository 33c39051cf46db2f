import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
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
  @Matches(DISCORD_WEBHOOK, { message: 'webhook_url must be a Discord webhook URL' })
  webhook_url: string;

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

/** Every field may be left out; none may be null (skipNullProperties: false). */
export class UpdateNotificationDto extends PartialType(CreateNotificationDto, { skipNullProperties: false }) {}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ops-alerts' }) name: string;
  @ApiProperty({ description: 'A webhook URL is stored (it is never returned).' }) webhook_url_set: boolean;
  @ApiProperty() on_success: boolean;
  @ApiProperty() on_failure: boolean;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}
export class NotificationPageDto extends PageDto(NotificationDto) {}
