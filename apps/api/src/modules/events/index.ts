// The events module's public face: other modules import from here, never from its files.
export { EventsModule, EventStreamModule } from './events.module';
export { EventPublisher, EVENTS_CHANNEL } from './event-publisher';
export type { EventEnvelope } from './event-publisher';
export { EventsException, EventsExceptionCode } from './events.exception';
export { EventHub } from './event-hub';
