import { Global, Module } from '@nestjs/common';
import { BackupsModule } from '../backups/backups.module';
import { Clock, SystemClock } from './clock';
import { ScheduleCalculator } from './schedule-calculator';
import { Scheduler } from './scheduler';
import { SchedulesController } from './schedules.controller';
import { SchedulesRepository } from './schedules.repository';

/** The clock and the next-run computation, for any module (databases show next runs). */
@Global()
@Module({
  providers: [{ provide: Clock, useClass: SystemClock }, ScheduleCalculator],
  exports: [Clock, ScheduleCalculator],
})
export class ScheduleClockModule {}

/** Schedule previews, and the scheduler that starts each slot's backup once across replicas. */
@Module({
  imports: [BackupsModule],
  controllers: [SchedulesController],
  providers: [SchedulesRepository, Scheduler],
})
export class SchedulesModule {}
