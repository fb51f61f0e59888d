import { formatLocalDate, parseClock, parseLocalDate, weekdayIndex } from './local-date';

describe('parseLocalDate / formatLocalDate', () => {
  it.each([
    ['1970-01-01', 0],
    ['1970-01-02', 1],
    ['1969-12-31', -1],
    ['2026-12-25', 20812],
    ['2028-02-29', 21243],
  ])('%s is day %i', (text, dayNumber) => {
    expect(parseLocalDate(text)).toBe(dayNumber);
    expect(formatLocalDate(dayNumber)).toBe(text);
  });

  it.each([
    '2026-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-1-01',
    '26-01-01',
    '2026-01-01T00:00',
    '',
    20260101,
    null,
  ])('rejects %p', (text) => {
    expect(parseLocalDate(text)).toBeNull();
  });
});

describe('weekdayIndex', () => {
  it.each([
    ['1970-01-01', 3], // Thursday
    ['2026-03-02', 0], // Monday
    ['2026-03-08', 6], // Sunday
    ['1969-12-29', 0], // Monday before the epoch
  ])('%s → %i', (text, index) => {
    expect(weekdayIndex(parseLocalDate(text) as number)).toBe(index);
  });
});

describe('parseClock', () => {
  it.each([
    ['00:00', 0],
    ['09:30', 570],
    ['23:59', 1439],
    ['24:00', 1440],
  ])('%s → %i', (text, minutes) => {
    expect(parseClock(text)).toBe(minutes);
  });

  it.each(['24:01', '25:00', '9:00', '09:0', '09:60', '0900', ' 09:00', 'ab:cd', 900, undefined])(
    'rejects %p',
    (text) => {
      expect(parseClock(text)).toBeNull();
    },
  );
});
