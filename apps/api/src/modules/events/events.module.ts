import { Module } from '@nestjs/common';
import { EventHub } from './event-hub';
import { EventPublisher } from './event-publisher';
import { EventsController } from './events.controller';

/**
 * Publishing live events: any module (and the worker's jobs) imports this and injects
 * {@link EventPublisher}. It opens no connection of its own.
 */
@Module({ providers: [EventPublisher], exports: [EventPublisher] })
export class EventsModule {}

/**
 * The receiving side, for the HTTP API only: one LISTEN connection per process ({@link EventHub}) fanned
 * out to the tenant's Server-Sent Events streams (`GET /events`). The worker does not load it.
 */
@Module({ imports: [EventsModule], controllers: [EventsController], providers: [EventHub] })
export class EventStreamModule {}
