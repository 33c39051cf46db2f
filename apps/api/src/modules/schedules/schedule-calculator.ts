import { Injectable } from '@nestjs/common';
import cronstrue from 'cronstrue';
import { AppConfig } from '../../config/app-config';
import { allowSecondsField } from '../../common/validation/decorators';
import { Clock } from './clock';
import { isoInZone, nextRuns } from './cron-slots';

export const NEXT_RUNS = 5;

export interface SchedulePreview {
  /** Human text of the expression, e.g. "At 03:00". */
  schedule_description: string | null;
  /** The next runs, ISO 8601 with the zone's offset at each (empty without a schedule). */
  next_runs: string[];
}

/** A schedule's description and next runs, as of the injected clock's now. */
@Injectable()
export class ScheduleCalculator {
  constructor(
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    allowSecondsField(config.env.SCHEDULE_ALLOW_SECONDS);
  }

  preview(schedule: string | null, timezone: string): SchedulePreview {
    if (!schedule) return { schedule_description: null, next_runs: [] };
    return {
      schedule_description: cronstrue.toString(schedule, {
        use24HourTimeFormat: true,
        throwExceptionOnParseError: false,
      }),
      next_runs: nextRuns(schedule, timezone, this.clock.now(), NEXT_RUNS).map((run) => isoInZone(run, timezone)),
    };
  }
}
