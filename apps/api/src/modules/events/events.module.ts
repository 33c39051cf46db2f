import { Global, Module } from '@nestjs/common';
import { EventHub } from './event-hub';
import { EventPublisher } from './event-publisher';
import { EventsController } from './events.controller';
import { EventsRepository } from './events.repository';

/** Live events (GET /api/v1/events): EventPublisher for every module that has news, EventHub serving the streams. */
@Global()
@Module({
  controllers: [EventsController],
  providers: [EventsRepository, EventPublisher, EventHub],
  exports: [EventPublisher],
})
export class EventsModule {}
