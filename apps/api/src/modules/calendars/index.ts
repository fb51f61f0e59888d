// The calendars module's public face: other modules and the application roots import from here, never from its files.
export { CalendarEntity } from './calendar.entity';
export { CalendarsModule } from './calendars.module';
