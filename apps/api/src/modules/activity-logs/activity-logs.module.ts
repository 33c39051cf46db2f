import { Global, Module } from '@nestjs/common';
import { ActivityLogsController } from './activity-logs.controller';
import { ActivityLogService } from './activity-log.service';
import { ActivityLogsRepository } from './activity-logs.repository';

@Global()
@Module({
  controllers: [ActivityLogsController],
  providers: [ActivityLogService, ActivityLogsRepository],
  // ActivityLogsRepository: the daily clean-up (Maintenance) deletes old entries.
  exports: [ActivityLogService, ActivityLogsRepository],
})
export class ActivityLogsModule {}
