import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext } from '../../common/auth/auth-context';
import { Endpoint } from '../../common/decorators/endpoint.decorator';
import { ActivityLogService } from './activity-log.service';
import { ActivityLogPageDto, ActivityLogQueryDto } from './dto/activity-log.dto';

@ApiTags('activity-logs')
@Controller('activity-logs')
export class ActivityLogsController {
  constructor(private readonly activity: ActivityLogService) {}

  @Get()
  @Endpoint({ summary: 'List the activity log of the current tenant, newest first', role: 'admin', errors: [400] })
  @ApiOkResponse({ type: ActivityLogPageDto })
  listActivityLogs(@Auth() auth: AuthContext, @Query() query: ActivityLogQueryDto) {
    return this.activity.list(auth, query);
  }
}
