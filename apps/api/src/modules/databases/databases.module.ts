import { Module } from '@nestjs/common';
import { DatabasesController } from './databases.controller';
import { DatabasesRepository } from './databases.repository';
import { DatabasesService } from './databases.service';

@Module({
  controllers: [DatabasesController],
  providers: [DatabasesService, DatabasesRepository],
  exports: [DatabasesService, DatabasesRepository],
})
export class DatabasesModule {}
