/** Milliseconds in one minute. */
export const MS_PER_MINUTE = 60_000;

/** Milliseconds in one (nominal, 24-hour) day. Used for local-date arithmetic only. */
export const MS_PER_DAY = 86_400_000;

/** The largest instant a JavaScript `Date` can hold (`new Date(8.64e15)`); returned when a target is unreachable. */
export const MAX_TIME_MS = 8.64e15;

/** How many local days a search may walk ahead or back before giving up (~100 years). */
export const SEARCH_LIMIT_DAYS = 36_525;

/** The same limit as a span of time, used to refuse measuring absurdly long intervals. */
export const SEARCH_LIMIT_MS = SEARCH_LIMIT_DAYS * MS_PER_DAY;
