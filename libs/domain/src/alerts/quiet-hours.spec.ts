import { sendAfterQuietHours } from './quiet-hours';

const at = (iso: string) => new Date(iso);

describe('sendAfterQuietHours', () => {
  const night = { from: '22:00', to: '07:00', timeZone: 'Europe/Berlin' };

  it('sends at once outside quiet hours and without any', () => {
    expect(sendAfterQuietHours(at('2026-11-23T12:00:00Z'), night)).toEqual(at('2026-11-23T12:00:00Z'));
    expect(sendAfterQuietHours(at('2026-11-23T23:00:00Z'), null)).toEqual(at('2026-11-23T23:00:00Z'));
  });

  it('holds a notification in overnight quiet hours until they end, in the user zone', () => {
    // 23:30 Berlin (22:30Z) → 07:00 Berlin next day (06:00Z).
    expect(sendAfterQuietHours(at('2026-11-23T22:30:00Z'), night)).toEqual(at('2026-11-24T06:00:00Z'));
    // 03:00 Berlin → 07:00 the same day.
    expect(sendAfterQuietHours(at('2026-11-24T02:00:00Z'), night)).toEqual(at('2026-11-24T06:00:00Z'));
  });

  it('handles quiet hours within a day and the night the clocks go back', () => {
    const lunch = { from: '12:00', to: '13:00', timeZone: 'America/New_York' };
    expect(sendAfterQuietHours(at('2026-11-23T17:30:00Z'), lunch)).toEqual(at('2026-11-23T18:00:00Z'));
    // 25 Oct 2026, Berlin: 03:00 CEST → 02:00 CET. 01:00 CEST (23:00Z on the 24th) is quiet until 07:00 CET (06:00Z).
    expect(sendAfterQuietHours(at('2026-10-24T23:00:00Z'), night)).toEqual(at('2026-10-25T06:00:00Z'));
  });

  it('treats equal from and to as no quiet hours', () => {
    expect(sendAfterQuietHours(at('2026-11-23T23:00:00Z'), { from: '08:00', to: '08:00', timeZone: 'UTC' })).toEqual(
      at('2026-11-23T23:00:00Z'),
    );
  });
});
