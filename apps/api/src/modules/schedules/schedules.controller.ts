import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../common/decorators/endpoint.decorator';
import { SchedulePreviewDto, SchedulePreviewQueryDto } from './dto/schedule-preview.dto';
import { ScheduleCalculator } from './schedule-calculator';

@ApiTags('schedules')
@Controller('schedules')
export class SchedulesController {
  constructor(private readonly calculator: ScheduleCalculator) {}

  @Get('preview')
  @Endpoint({
    summary: 'Check a schedule and see when it would run',
    description:
      "Validates `schedule` and `timezone` as a database's settings are validated (400 naming the field) and answers what `GET /databases/{id}` would show for them: `schedule_description` and `next_runs`.",
    errors: [400],
  })
  @ApiOkResponse({ type: SchedulePreviewDto })
  previewSchedule(@Query() query: SchedulePreviewQueryDto): SchedulePreviewDto {
    return this.calculator.preview(query.schedule, query.timezone ?? 'UTC') as SchedulePreviewDto;
  }
}
