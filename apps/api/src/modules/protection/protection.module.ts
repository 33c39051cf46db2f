import { Module } from '@nestjs/common';
import { ProtectionRepository } from './protection.repository';
import { ProtectionService } from './protection.service';

/** Whether databases are protected (ok, stale, failing, unscheduled): databases, stats and staleness alerts. */
@Module({ providers: [ProtectionRepository, ProtectionService], exports: [ProtectionService, ProtectionRepository] })
export class ProtectionModule {}
