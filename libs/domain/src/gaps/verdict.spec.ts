import { verdict } from './verdict';

const t = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00Z`);

describe('verdict', () => {
  it.each([
    ['no deadline', null, null, t('12:00'), null],
    ['no deadline even when satisfied', null, t('10:00'), t('12:00'), null],
    ['satisfied before the deadline', t('11:00'), t('10:00'), t('12:00'), 'kept'],
    ['satisfied exactly at the deadline', t('11:00'), t('11:00'), t('12:00'), 'kept'],
    ['satisfied a millisecond late', t('11:00'), new Date(t('11:00').getTime() + 1), t('12:00'), 'missed'],
    ['satisfied after the deadline', t('11:00'), t('11:30'), t('12:00'), 'missed'],
    ['kept regardless of now', t('11:00'), t('10:00'), t('09:00'), 'kept'],
    ['not satisfied, deadline ahead', t('11:00'), null, t('10:00'), 'open'],
    ['not satisfied, now exactly at the deadline', t('11:00'), null, t('11:00'), 'open'],
    ['not satisfied, deadline passed', t('11:00'), null, t('11:01'), 'missed'],
  ] as const)('%s', (_name, deadline, satisfiedAt, now, expected) => {
    expect(verdict(deadline, satisfiedAt, now)).toBe(expected);
  });

  it('rejects invalid dates', () => {
    expect(() => verdict(new Date(Number.NaN), null, t('12:00'))).toThrow(RangeError);
    expect(() => verdict(t('11:00'), new Date(Number.NaN), t('12:00'))).toThrow(RangeError);
    expect(() => verdict(t('11:00'), null, new Date(Number.NaN))).toThrow(RangeError);
  });
});
