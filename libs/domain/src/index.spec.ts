import * as domain from './index';

describe('public entry', () => {
  it('exports the documented API', () => {
    for (const name of [
      'addBusinessTime',
      'businessTimeBetween',
      'alwaysOpenCalendar',
      'validateCalendar',
      'isWorkingTime',
      'nextWorkingInstant',
      'computeGaps',
      'verdict',
      'stepEnds',
      'stepDeadlines',
      'stepDurations',
      'splitByShares',
      'caseClock',
      'remainingWork',
      'atRiskMinute',
      'assessRisk',
    ]) {
      expect(typeof (domain as Record<string, unknown>)[name]).toBe('function');
    }
    expect(domain.MAX_TIME_MS).toBe(8.64e15);
    expect(domain.WEEKDAYS).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
    expect(domain.VISIT_STEPS.map((s) => s.milestone)).toEqual(['arrived', 'diagnosed', 'fixed', 'test_passed']);
    expect(typeof domain.ZoneConverter).toBe('function');
  });

  it('works end to end through the entry point', () => {
    const calendar = domain.alwaysOpenCalendar('Europe/Berlin');
    const start = new Date('2026-06-01T10:00:00Z');
    const due = domain.addBusinessTime(start, 90, calendar);
    expect(due.toISOString()).toBe('2026-06-01T11:30:00.000Z');
    const gaps = domain.computeGaps(
      { openedAt: start, requiredAt: due, expectedAt: null, promisedAt: due, satisfiedAt: start },
      start,
      calendar,
    );
    expect(gaps.satisfiedMinusPromised).toEqual({ wallMinutes: -90, businessMinutes: -90 });
    expect(gaps.promise).toBe('kept');
  });
});
