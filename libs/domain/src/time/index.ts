export type { BusinessCalendar, Pause, Weekday } from './types';
export { WEEKDAYS } from './types';
export { MAX_TIME_MS } from './units';
export { alwaysOpenCalendar, validateCalendar } from './calendar';
export { isValidTimeZone, ZoneConverter } from './zone';
export { addBusinessTime, businessTimeBetween, isWorkingTime, nextWorkingInstant } from './business-time';
export type { InstantDisplay } from './display';
export { displayInstant, formatInstantIn, formatInstantLongIn, zoneName } from './display';
