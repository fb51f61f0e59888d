import { z } from 'zod';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'time must be HH:mm between 00:00 and 24:00');
const period = z
  .tuple([clock, clock])
  .refine(([from, to]) => from < to, { message: 'a period must end after it starts' });
const day = z.array(period).max(12).refine(
  (periods) => periods.every((p, i) => i === 0 || periods[i - 1][1] <= p[0]),
  { message: 'periods of a day must be sorted and must not overlap' },
);

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A business calendar as plain JSON; the same shape the API accepts, stores and `@kept/domain` computes on. */
export const businessCalendarSchema = z.object({
  timeZone: z.string().min(1).refine(isTimeZone, { message: 'unknown IANA time zone' }),
  week: z.object({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }),
  holidays: z.array(z.iso.date()).max(1000).default([]),
});
export type BusinessCalendarInput = z.infer<typeof businessCalendarSchema>;

export const createCalendarRequestSchema = z.object({
  name: z.string().trim().min(1).max(200),
  definition: businessCalendarSchema,
});
export type CreateCalendarRequest = z.infer<typeof createCalendarRequestSchema>;

export const updateCalendarRequestSchema = createCalendarRequestSchema.partial().extend({
  version: z.number().int().min(1).optional(),
});
export type UpdateCalendarRequest = z.infer<typeof updateCalendarRequestSchema>;

export interface CalendarResponse {
  id: string;
  name: string;
  definition: BusinessCalendarInput;
  version: number;
  createdAt: string;
  updatedAt: string;
}
