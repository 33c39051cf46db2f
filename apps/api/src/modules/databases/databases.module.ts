import { Module } from '@nestjs/common';
import { ProtectionModule } from '../protection/protection.module';
import { DatabasesController } from './databases.controller';
import { DatabasesRepository } from './databases.repository';
import { DatabasesService } from './databases.service';

@Module({
  imports: [ProtectionModule],
  controllers: [DatabasesController],
  providers: [DatabasesService, DatabasesRepository],
  exports: [DatabasesService, DatabasesRepository],
})
export class DatabasesModule {}
