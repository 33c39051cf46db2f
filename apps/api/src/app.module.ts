import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { AuthGuard } from './common/auth/auth.guard';
import { loggerOptions } from './common/logging/logger-options';
import { CryptoModule } from './crypto/crypto.module';
import { PrismaModule } from './prisma/prisma.module';
import { JobsModule } from './modules/jobs/jobs.module';
import { EventsModule } from './modules/events/events.module';
import { MaintenanceModule } from './modules/maintenance/maintenance.module';
import { ActivityLogsModule } from './modules/activity-logs/activity-logs.module';
import { ApiTokensModule } from './modules/api-tokens/api-tokens.module';
import { AuthModule } from './modules/auth/auth.module';
import { InstanceBootstrap } from './modules/bootstrap/instance-bootstrap';
import { DiscordModule } from './integrations/discord/discord.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { EngineModule } from './engine/engine.module';
import { DatabasesModule } from './modules/databases/databases.module';
import { StorageModule } from './modules/storage/storage.module';
import { BackupsModule } from './modules/backups/backups.module';
import { ScheduleClockModule, SchedulesModule } from './modules/schedules/schedules.module';
import { HealthModule } from './modules/health/health.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { StatsModule } from './modules/stats/stats.module';
import { StalenessModule } from './modules/staleness/staleness.module';
import { TenantsModule } from './modules/tenants/tenants.module';
import { ProfileModule } from './modules/users/profile.module';
import { UsersModule } from './modules/users/users.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config)),
        PrismaModule,
        JobsModule,
        EventsModule,
        CryptoModule,
        DiscordModule,
        EngineModule,
        ActivityLogsModule,
        UsersModule,
        TenantsModule,
        ApiTokensModule,
        AuthModule,
        ProfileModule,
        HealthModule,
        MetricsModule,
        NotificationsModule,
        StorageModule,
        DatabasesModule,
        BackupsModule,
        ScheduleClockModule,
        SchedulesModule,
        StatsModule,
        StalenessModule,
        MaintenanceModule,
      ],
      providers: [{ provide: APP_GUARD, useClass: AuthGuard }, InstanceBootstrap],
    };
  }
}
