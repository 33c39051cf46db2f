import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, ReqMeta, type AuthContext, type RequestMeta } from '../../common/auth/auth-context';
import { Endpoint } from '../../common/decorators/endpoint.decorator';
import { CheckResultDto } from '../../common/dto/check-result.dto';
import { PageQueryDto } from '../../common/pagination/page';
import { IdParam } from '../../common/pipes/id-param';
import {
  CreateNotificationDto,
  NotificationDto,
  NotificationPageDto,
  ReplaceNotificationDto,
  UpdateNotificationDto,
} from './dto/notification.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post()
  @Endpoint({ summary: 'Add a Discord webhook for backup notifications', role: 'admin', errors: [400, 409] })
  @ApiCreatedResponse({ type: NotificationDto })
  createNotification(@Auth() auth: AuthContext, @Body() input: CreateNotificationDto, @ReqMeta() meta: RequestMeta) {
    return this.notifications.create(auth, input, meta);
  }

  @Get()
  @Endpoint({ summary: "The tenant's notification webhooks", errors: [400] })
  @ApiOkResponse({ type: NotificationPageDto })
  listNotifications(@Auth() auth: AuthContext, @Query() query: PageQueryDto) {
    return this.notifications.list(auth, query);
  }

  @Get(':id')
  @Endpoint({ summary: 'One notification webhook', errors: [400, 404] })
  @ApiOkResponse({ type: NotificationDto })
  getNotification(@Auth() auth: AuthContext, @IdParam() id: string) {
    return this.notifications.get(auth, id);
  }

  @Patch(':id')
  @Endpoint({
    summary: 'Change a notification webhook',
    description: 'Omitted fields keep their value; a new `discord_webhook_url` replaces the stored one.',
    role: 'admin',
    errors: [400, 404, 409],
  })
  @ApiOkResponse({ type: NotificationDto })
  updateNotification(
    @Auth() auth: AuthContext,
    @IdParam() id: string,
    @Body() input: UpdateNotificationDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.notifications.update(auth, id, input, meta);
  }

  @Put(':id')
  @Endpoint({
    summary: 'Replace a notification webhook',
    description:
      'The body is the whole resource, as for POST: omitted switches take their defaults. An omitted `discord_webhook_url` keeps the stored one.',
    role: 'admin',
    errors: [400, 404, 409],
  })
  @ApiOkResponse({ type: NotificationDto })
  replaceNotification(
    @Auth() auth: AuthContext,
    @IdParam() id: string,
    @Body() input: ReplaceNotificationDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.notifications.replace(auth, id, input, meta);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Endpoint({
    summary: 'Remove a notification webhook',
    description: 'Databases that used it stop notifying.',
    role: 'admin',
    errors: [400, 404],
  })
  @ApiNoContentResponse({ description: 'Removed.' })
  deleteNotification(@Auth() auth: AuthContext, @IdParam() id: string, @ReqMeta() meta: RequestMeta) {
    return this.notifications.delete(auth, id, meta);
  }

  @Post('test')
  @HttpCode(HttpStatus.OK)
  @Endpoint({
    summary: 'Send a test message to a webhook before saving it',
    description:
      'The same test message as `POST /notifications/{id}/test`, to the webhook in the body of a create (nothing is saved). Answers 200 either way; `ok` and `message` say whether Discord accepted it.',
    role: 'operator',
    errors: [400],
  })
  @ApiOkResponse({ type: CheckResultDto })
  testUnsavedNotification(
    @Auth() auth: AuthContext,
    @Body() body: CreateNotificationDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.notifications.testUnsaved(auth, body, meta);
  }

  @Post(':id/test')
  @HttpCode(HttpStatus.OK)
  @Endpoint({
    summary: 'Send a test message to the webhook',
    description:
      'Answers 200 either way; `ok` and `message` say whether Discord accepted it. An optional body of unsaved changes (as for PATCH) sends it to `discord_webhook_url` when given instead of the saved webhook, without saving anything.',
    role: 'operator',
    errors: [400, 404],
  })
  @ApiBody({
    type: UpdateNotificationDto,
    required: false,
    description: 'Unsaved changes to test (none: the saved settings).',
  })
  @ApiOkResponse({ type: CheckResultDto })
  testNotification(
    @Auth() auth: AuthContext,
    @IdParam() id: string,
    @Body() changes: UpdateNotificationDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.notifications.test(auth, id, meta, changes);
  }
}
