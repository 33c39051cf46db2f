import { Module } from '@nestjs/common';
import { ObjectStoreFactory } from './object-store-factory';
import { StorageController } from './storage.controller';
import { StorageRepository } from './storage.repository';
import { StorageService } from './storage.service';

@Module({
  controllers: [StorageController],
  providers: [StorageService, StorageRepository, ObjectStoreFactory],
  exports: [StorageRepository, ObjectStoreFactory],
})
export class StorageModule {}
