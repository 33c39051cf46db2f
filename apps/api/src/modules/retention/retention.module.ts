import { Module } from '@nestjs/common';
import { DatabasesModule } from '../databases/databases.module';
import { StorageModule } from '../storage/storage.module';
import { RetentionController } from './retention.controller';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';

@Module({
  imports: [DatabasesModule, StorageModule],
  controllers: [RetentionController],
  providers: [RetentionService, RetentionRepository],
  exports: [RetentionService],
})
export class RetentionModule {}
