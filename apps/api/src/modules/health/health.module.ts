import { Module } from '@nestjs/common';
import { HealthController, RootHealthController } from './health.controller';
import { HealthRepository } from './health.repository';
import { HealthService } from './health.service';

@Module({ controllers: [HealthController, RootHealthController], providers: [HealthService, HealthRepository] })
export class HealthModule {}
