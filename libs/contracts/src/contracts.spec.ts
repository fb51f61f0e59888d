import {
  businessCalendarSchema,
  createCaseRequestSchema,
  listCasesQuerySchema,
  loginRequestSchema,
  repromiseRequestSchema,
  updateContractRequestSchema,
  PROMISE_STEPS,
  promiseBreakdownSchema,
} from './index';
import { VISIT_STEPS } from '@kept/domain';

const week = { mon: [['08:00', '12:00'], ['13:00', '17:00']], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
const customerId = '0b6f1a2e-4d3c-4b8a-9f1e-2a3b4c5d6e7f';

describe('businessCalendarSchema', () => {
  it('accepts split shifts, 24:00 and holidays', () => {
    const parsed = businessCalendarSchema.parse({ timeZone: 'Europe/Berlin', week: { ...week, sun: [['00:00', '24:00']] }, holidays: ['2026-12-25'] });
    expect(parsed.week.sun).toEqual([['00:00', '24:00']]);
  });

  it.each([
    ['an unknown zone', { timeZone: 'Mars/Olympus', week }],
    ['a bad clock time', { timeZone: 'UTC', week: { ...week, tue: [['8:00', '12:00']] } }],
    ['a period that ends before it starts', { timeZone: 'UTC', week: { ...week, tue: [['12:00', '08:00']] } }],
    ['overlapping periods', { timeZone: 'UTC', week: { ...week, tue: [['08:00', '12:00'], ['11:00', '13:00']] } }],
    ['a holiday that is not a date', { timeZone: 'UTC', week, holidays: ['25.12.2026'] }],
    ['a missing weekday', { timeZone: 'UTC', week: { mon: [] } }],
  ])('rejects %s', (_label, input) => {
    expect(businessCalendarSchema.safeParse(input).success).toBe(false);
  });

  it('defaults holidays to none', () => {
    expect(businessCalendarSchema.parse({ timeZone: 'UTC', week }).holidays).toEqual([]);
  });
});

describe('createCaseRequestSchema', () => {
  const valid = { customerId, category: 'Instrument down', summary: 'Analyzer stops', requiredAt: '2026-11-23T16:00:00+01:00' };

  it('accepts the four times as instants with an offset and defaults the priority', () => {
    const parsed = createCaseRequestSchema.parse({ ...valid, promisedAt: '2026-11-23T15:00:00Z', stressLevel: 5 });
    expect(parsed.priority).toBe('normal');
  });

  it('rejects unknown fields, local times without an offset and stress outside 1–5', () => {
    expect(createCaseRequestSchema.safeParse({ ...valid, tenantId: customerId }).success).toBe(false);
    expect(createCaseRequestSchema.safeParse({ ...valid, requiredAt: '2026-11-23T16:00:00' }).success).toBe(false);
    expect(createCaseRequestSchema.safeParse({ ...valid, stressLevel: 6 }).success).toBe(false);
    expect(createCaseRequestSchema.safeParse({ ...valid, summary: '   ' }).success).toBe(false);
  });

  it('accepts extra segment values by name and refuses bad names, built-in levels, non-strings and too many', () => {
    expect(createCaseRequestSchema.parse({ ...valid, segments: { queue: ' PWDx_District 1C ', department: 'PWDx' } }).segments).toEqual({ queue: 'PWDx_District 1C', department: 'PWDx' });
    expect(createCaseRequestSchema.parse(valid).segments).toBeUndefined();
    for (const segments of [
      { Queue: 'a' },
      { 'two words': 'a' },
      { region: 'north' },
      { queue: 3 },
      { queue: '' },
      { queue: 'x'.repeat(201) },
      Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`s${i}`, 'v'])),
      ['queue'],
    ]) {
      expect(createCaseRequestSchema.safeParse({ ...valid, segments }).success).toBe(false);
    }
  });
});

describe('listCasesQuerySchema', () => {
  it('parses a comma-separated status list and coerces the limit', () => {
    expect(listCasesQuerySchema.parse({ status: 'open,paused', limit: '20' })).toMatchObject({ status: ['open', 'paused'], limit: 20 });
  });

  it('rejects unknown statuses and limits out of range', () => {
    expect(listCasesQuerySchema.safeParse({ status: 'open,closed' }).success).toBe(false);
    expect(listCasesQuerySchema.safeParse({ limit: '500' }).success).toBe(false);
  });
});

describe('repromiseRequestSchema and loginRequestSchema', () => {
  it('requires a reason for a new promise and defaults acceptance to pending', () => {
    expect(repromiseRequestSchema.safeParse({ promisedAt: '2026-11-24T10:00:00Z' }).success).toBe(false);
    expect(repromiseRequestSchema.parse({ promisedAt: '2026-11-24T10:00:00Z', reason: 'Part on backorder' }).customerAccepted).toBe('pending');
  });

  it('requires an e-mail address and a password', () => {
    expect(loginRequestSchema.safeParse({ email: 'not-an-email', password: 'x' }).success).toBe(false);
    expect(loginRequestSchema.safeParse({ email: 'a@b.test', password: '' }).success).toBe(false);
  });
});

describe('updateContractRequestSchema', () => {
  it('leaves promiseBasis out when a PATCH does not send it (no default applied)', () => {
    expect(updateContractRequestSchema.parse({ name: 'Renamed' })).not.toHaveProperty('promiseBasis');
  });
});

describe('the visit steps come from @kept/domain', () => {
  it('PROMISE_STEPS and the promise breakdown keys follow VISIT_STEPS', () => {
    expect(PROMISE_STEPS).toEqual(VISIT_STEPS.map((s) => s.step));
    expect(Object.keys(promiseBreakdownSchema.shape)).toEqual(VISIT_STEPS.map((s) => s.breakdownKey));
    expect(promiseBreakdownSchema.parse({ arrivalMinutes: 30, fixMinutes: 60, other: 1 })).toEqual({ arrivalMinutes: 30, fixMinutes: 60 });
    expect(promiseBreakdownSchema.safeParse({ testMinutes: -1 }).success).toBe(false);
  });
});
