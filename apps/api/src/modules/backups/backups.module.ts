import { Module } from '@nestjs/common';
import { ApiTokensModule } from '../api-tokens/api-tokens.module';
import { DatabasesModule } from '../databases/databases.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RetentionModule } from '../retention/retention.module';
import { StorageModule } from '../storage/storage.module';
import { TenantsModule } from '../tenants/tenants.module';
import { ArchiveLocator } from './archive-locator';
import { BackupNotifier } from './backup-notifier';
import { BackupRunner } from './backup-runner';
import { BackupsController } from './backups.controller';
import { BackupsRepository } from './backups.repository';
import { BackupsService } from './backups.service';
import { DownloadLinks } from './download-links';
import { JobSupervisor } from './job-supervisor';
import { JobWorkers } from './job-workers';
import { BackupRetries } from './backup-retries';
import { KeptDatabaseSweeper } from './kept-database-sweeper';
import { RestoreRunner } from './restore-runner';
import { RoleRestorer } from './role-restorer';
import { TenantKeys } from './tenant-keys';

@Module({
  imports: [DatabasesModule, StorageModule, NotificationsModule, RetentionModule, TenantsModule, ApiTokensModule],
  controllers: [BackupsController],
  providers: [
    BackupsService,
    BackupsRepository,
    DownloadLinks,
    BackupRunner,
    RestoreRunner,
    RoleRestorer,
    BackupNotifier,
    TenantKeys,
    ArchiveLocator,
    JobSupervisor,
    JobWorkers,
    BackupRetries,
    KeptDatabaseSweeper,
  ],
  exports: [BackupsService, BackupNotifier],
})
export class BackupsModule {}
