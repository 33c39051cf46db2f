import { Module } from '@nestjs/common';
import { Maintenance } from './maintenance';

/** The daily clean-up, in processes that run jobs (APP_ROLE worker or all). */
@Module({ providers: [Maintenance] })
export class MaintenanceModule {}
