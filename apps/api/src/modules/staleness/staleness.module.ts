import { Module } from '@nestjs/common';
import { BackupsModule } from '../backups/backups.module';
import { ProtectionModule } from '../protection/protection.module';
import { StalenessRepository } from './staleness.repository';
import { StalenessService } from './staleness.service';

/** Staleness alerts: a periodic check, once per cluster, telling each change of protection once. */
@Module({
  imports: [BackupsModule, ProtectionModule],
  providers: [StalenessService, StalenessRepository],
  exports: [StalenessService],
})
export class StalenessModule {}
