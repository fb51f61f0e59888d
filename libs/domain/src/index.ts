/**
 * @kept/domain — pure domain logic of Kept: business-time arithmetic on calendars with time zones,
 * holidays, split shifts and pauses, the gaps between the four times of a case, the visit's step plan,
 * which clock a case runs on, and when an open case is at risk.
 */
export * from './time';
export * from './gaps';
export * from './alerts';
export * from './steps';
export * from './clock';
export * from './risk';
export * from './recovery';
export * from './branding';
