import { Module } from '@nestjs/common';
import { ProtectionModule } from '../protection/protection.module';
import { StatsController } from './stats.controller';
import { StatsRepository } from './stats.repository';
import { StatsService } from './stats.service';

@Module({ imports: [ProtectionModule], controllers: [StatsController], providers: [StatsService, StatsRepository] })
export class StatsModule {}
