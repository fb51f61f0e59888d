/**
 * @kept/domain — pure domain logic of Kept: business-time arithmetic on calendars with time zones,
 * holidays, split shifts and pauses, and the gaps between the four times of a case.
 */
export * from './time';
export * from './gaps';
export * from './alerts';
