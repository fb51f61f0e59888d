import { isValidTimeZone, localDayOf, localToInstant, utcMs, ZoneConverter, zoneOffsetMs } from './zone';
import { parseLocalDate } from './local-date';

const HOUR = 3_600_000;
const day = (iso: string) => parseLocalDate(iso) as number;
const local = (zone: string, date: string, hh: number, mm = 0) =>
  new Date(localToInstant(zone, day(date), (hh * 60 + mm) * 60_000)).toISOString();

describe('isValidTimeZone', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Etc/GMT+5'])(
    'accepts %s',
    (zone) => {
      expect(isValidTimeZone(zone)).toBe(true);
    },
  );
  it.each(['', 'Mars/Base', 'Europe/Berlinn', 42, null])('rejects %p', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
  });
});

describe('zoneOffsetMs', () => {
  it.each([
    ['UTC', '2026-06-01T00:00:00Z', 0],
    ['Europe/Berlin', '2026-01-15T12:00:00Z', 1 * HOUR],
    ['Europe/Berlin', '2026-07-15T12:00:00Z', 2 * HOUR],
    ['Europe/Berlin', '2026-03-29T00:59:59.999Z', 1 * HOUR],
    ['Europe/Berlin', '2026-03-29T01:00:00Z', 2 * HOUR],
    ['America/New_York', '2026-11-01T05:59:59Z', -4 * HOUR],
    ['America/New_York', '2026-11-01T06:00:00Z', -5 * HOUR],
    ['Asia/Kolkata', '2026-06-01T00:00:00Z', 5.5 * HOUR],
    ['Australia/Lord_Howe', '2026-07-01T00:00:00Z', 10.5 * HOUR],
    ['Australia/Lord_Howe', '2026-12-01T00:00:00Z', 11 * HOUR],
    ['Asia/Kathmandu', '2026-06-01T00:00:00Z', 5.75 * HOUR],
  ])('%s at %s', (zone, iso, expected) => {
    expect(zoneOffsetMs(zone, new Date(iso).getTime())).toBe(expected);
  });

  it('works before 1970 and for historic offsets with seconds', () => {
    expect(zoneOffsetMs('Europe/Berlin', Date.UTC(1950, 0, 1))).toBe(HOUR);
    // Monrovia mean time until 1972: −00:44:30.
    expect(zoneOffsetMs('Africa/Monrovia', Date.UTC(1960, 0, 1))).toBe(-(44 * 60 + 30) * 1000);
  });
});

describe('localToInstant (Temporal "compatible")', () => {
  it.each([
    ['ordinary winter time', 'Europe/Berlin', '2026-01-15', 9, 0, '2026-01-15T08:00:00.000Z'],
    ['ordinary summer time', 'Europe/Berlin', '2026-07-15', 9, 0, '2026-07-15T07:00:00.000Z'],
    ['just before the gap', 'Europe/Berlin', '2026-03-29', 1, 59, '2026-03-29T00:59:00.000Z'],
    ['gap start 02:00 → 03:00 CEST', 'Europe/Berlin', '2026-03-29', 2, 0, '2026-03-29T01:00:00.000Z'],
    ['inside the gap 02:30 → 03:30 CEST', 'Europe/Berlin', '2026-03-29', 2, 30, '2026-03-29T01:30:00.000Z'],
    ['gap end 03:00 CEST', 'Europe/Berlin', '2026-03-29', 3, 0, '2026-03-29T01:00:00.000Z'],
    ['ambiguous 02:30 → earlier (CEST)', 'Europe/Berlin', '2026-10-25', 2, 30, '2026-10-25T00:30:00.000Z'],
    ['after the repeat 03:00 CET', 'Europe/Berlin', '2026-10-25', 3, 0, '2026-10-25T02:00:00.000Z'],
    ['New York gap 02:30 → 03:30 EDT', 'America/New_York', '2026-03-08', 2, 30, '2026-03-08T07:30:00.000Z'],
    ['New York ambiguous 01:30 → EDT', 'America/New_York', '2026-11-01', 1, 30, '2026-11-01T05:30:00.000Z'],
    ['Lord Howe gap 02:15 → 02:45 (+11)', 'Australia/Lord_Howe', '2026-10-04', 2, 15, '2026-10-03T15:45:00.000Z'],
    ['Lord Howe ambiguous 01:45 → +11', 'Australia/Lord_Howe', '2026-04-05', 1, 45, '2026-04-04T14:45:00.000Z'],
    ['Kolkata', 'Asia/Kolkata', '2026-03-02', 9, 0, '2026-03-02T03:30:00.000Z'],
    [
      'a midnight skipped in Santiago (00:00 → 01:00)',
      'America/Santiago',
      '2026-09-06',
      0,
      0,
      '2026-09-06T04:00:00.000Z',
    ],
  ])('%s', (_name, zone, date, hh, mm, expected) => {
    expect(local(zone, date, hh, mm)).toBe(expected);
  });
});

describe('localDayOf and utcMs', () => {
  it('finds the local date of an instant', () => {
    expect(localDayOf('Asia/Kolkata', Date.parse('2026-03-02T18:29:59Z'))).toBe(day('2026-03-02'));
    expect(localDayOf('Asia/Kolkata', Date.parse('2026-03-02T18:30:00Z'))).toBe(day('2026-03-03'));
    expect(localDayOf('America/New_York', Date.parse('2026-03-03T03:00:00Z'))).toBe(day('2026-03-02'));
  });

  it('handles years below 100 literally', () => {
    expect(new Date(utcMs(50, 1, 1)).getUTCFullYear()).toBe(50);
    expect(utcMs(2026, 3, 29, 2, 30)).toBe(Date.UTC(2026, 2, 29, 2, 30));
  });
});

describe('ZoneConverter (cached, for bulk imports)', () => {
  const localEpoch = (iso: string) => Date.parse(`${iso}Z`);
  const at = (zone: string, wall: string) => new Date(new ZoneConverter(zone).toInstant(localEpoch(wall))).toISOString();

  it.each([
    ['New York, plain winter time', 'America/New_York', '2015-01-10T12:00:00', '2015-01-10T17:00:00.000Z'],
    // 02:30 does not exist on 2015-03-08: it moves forward by the jump, to 03:30 EDT.
    ['New York, skipped 02:30', 'America/New_York', '2015-03-08T02:30:00', '2015-03-08T07:30:00.000Z'],
    ['New York, skipped 02:00 exactly', 'America/New_York', '2015-03-08T02:00:00', '2015-03-08T07:00:00.000Z'],
    ['New York, 03:30 after the jump', 'America/New_York', '2015-03-08T03:30:00', '2015-03-08T07:30:00.000Z'],
    // 01:30 happens twice on 2015-11-01: the earlier (daylight) one.
    ['New York, repeated 01:30', 'America/New_York', '2015-11-01T01:30:00', '2015-11-01T05:30:00.000Z'],
    ['Berlin, skipped 02:15', 'Europe/Berlin', '2026-03-29T02:15:00', '2026-03-29T01:15:00.000Z'],
    ['Berlin, repeated 02:15', 'Europe/Berlin', '2026-10-25T02:15:00', '2026-10-25T00:15:00.000Z'],
    // Lord Howe shifts by half an hour at 02:00: 02:10 is skipped (→ 02:40 +11), 02:40 exists (+11).
    ['Lord Howe, skipped 02:10', 'Australia/Lord_Howe', '2026-10-04T02:10:00', '2026-10-03T15:40:00.000Z'],
    ['Lord Howe, 02:40 after the jump', 'Australia/Lord_Howe', '2026-10-04T02:40:00', '2026-10-03T15:40:00.000Z'],
    ['Lord Howe, repeated 01:45', 'Australia/Lord_Howe', '2026-04-05T01:45:00', '2026-04-04T14:45:00.000Z'],
  ])('%s', (_name, zone, wall, expected) => {
    expect(at(zone, wall)).toBe(expected);
  });

  it('agrees with localToInstant for every 5 minutes around transitions, cached or not', () => {
    for (const [zone, date] of [
      ['America/New_York', '2015-03-08'],
      ['America/New_York', '2015-11-01'],
      ['Australia/Lord_Howe', '2026-10-04'],
      ['Australia/Lord_Howe', '2026-04-05'],
      ['America/Sao_Paulo', '2018-11-04'],
    ]) {
      const converter = new ZoneConverter(zone);
      for (let pass = 0; pass < 2; pass++) {
        for (let m = -24 * 60; m < 48 * 60; m += 5) {
          const wall = day(date) * 86_400_000 + m * 60_000;
          const d = Math.floor(wall / 86_400_000);
          expect(converter.toInstant(wall)).toBe(localToInstant(zone, d, wall - d * 86_400_000));
        }
      }
    }
  });

  it('rejects an unknown zone', () => {
    expect(() => new ZoneConverter('Mars/Base')).toThrow(RangeError);
  });
});
