import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HistoryFileError, parseMapping, readHistory, type HistoryRecord, type RejectedRow } from './reader';
import { parseTimestamp, ZoneConverter } from './timestamp';

const mapping = {
  zone: 'America/New_York',
  dateOnly: ['promisedAt'],
  columns: { externalId: 'id', createdAt: 'opened', promisedAt: 'due', closedAt: 'closed', category: ['dept', 'type'], region: 'area' },
};

async function read(content: string | Buffer, m: unknown = mapping) {
  const records: HistoryRecord[] = [];
  const rejected: RejectedRow[] = [];
  const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  // Feed in small chunks so multi-byte characters and rows straddle chunk borders.
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += 7) chunks.push(buf.subarray(i, i + 7));
  const summary = await readHistory(Readable.from(chunks), m, { onRecord: (r) => void records.push(r), onReject: (r) => void rejected.push(r) });
  return { summary, records, rejected };
}

const HEADER = 'id,opened,due,closed,dept,type,area\n';

describe('readHistory', () => {
  it('maps columns, joins multi-column text and reads times in the assumed zone', async () => {
    const { summary, records, rejected } = await read(HEADER + '1,2015-03-02 09:00:00,2015-03-05,2015-03-03 10:30:00,PWD,Street Light,Dorchester\n');
    expect(rejected).toEqual([]);
    expect(summary).toMatchObject({ rows: 1, accepted: 1, rejected: 0 });
    const r = records[0];
    expect(r.line).toBe(2);
    expect(r.category).toBe('PWD / Street Light');
    expect(new Date(r.createdAt).toISOString()).toBe('2015-03-02T14:00:00.000Z'); // EST = UTC−5
    // A date-only promise means the end of that local day.
    expect(new Date(r.promisedAt as number).toISOString()).toBe('2015-03-06T04:59:59.999Z');
    expect(new Date(r.closedAt as number).toISOString()).toBe('2015-03-03T15:30:00.000Z');
  });

  it('drops a UTF-8 BOM and keeps non-ASCII text', async () => {
    const { records } = await read('\uFEFF' + HEADER + '1,2015-07-01 12:00:00,,,Dépt,Café,São Paulo\n');
    expect(records).toHaveLength(1);
    expect(records[0].category).toBe('Dépt / Café');
    expect(records[0].region).toBe('São Paulo');
    expect(new Date(records[0].createdAt).toISOString()).toBe('2015-07-01T16:00:00.000Z'); // EDT = UTC−4
  });

  it('rejects the whole file when it is not UTF-8, naming the line', async () => {
    const latin1 = Buffer.concat([Buffer.from(HEADER + '1,2015-07-01 12:00:00,,,A,B,C\n2,2015-07-01 12:00:00,,,', 'utf8'), Buffer.from([0x43, 0x61, 0x66, 0xe9]), Buffer.from(',B,C\n')]);
    await expect(read(latin1)).rejects.toMatchObject({ code: 'INVALID_UTF8', line: 3 });
  });

  it('names every missing mapped column in one file-level error', async () => {
    const err = await read('id,opened,closed\n1,2015-01-01 00:00:00,\n').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HistoryFileError);
    expect((err as HistoryFileError).code).toBe('MISSING_COLUMNS');
    expect((err as HistoryFileError).message).toContain('"due" (promisedAt)');
    expect((err as HistoryFileError).message).toContain('"dept" (category)');
    expect((err as HistoryFileError).message).toContain('"area" (region)');
  });

  it('reads extra segment columns, single and composite (parts joined with " → ", an empty part kept)', async () => {
    const m = { ...mapping, segments: { dept: 'dept', route: ['dept', 'area'] } };
    const { records } = await read(HEADER + '1,2015-03-02 09:00:00,,,PWD,Light,Dorchester\n2,2015-03-02 10:00:00,,,,Light,Roxbury\n3,2015-03-02 11:00:00,,,,Light,\n', m);
    expect(records.map((r) => r.segments)).toEqual([{ dept: 'PWD', route: 'PWD → Dorchester' }, { route: ' → Roxbury' }, {}]);
  });

  it('refuses a segment column the file lacks, naming the segment', async () => {
    const m = { ...mapping, segments: { seller: 'seller_id' } };
    const err = await read(HEADER + '1,2015-03-02 09:00:00,,,PWD,Light,Dorchester\n', m).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MISSING_COLUMNS' });
    expect((err as Error).message).toContain('"seller_id" (segments.seller)');
  });

  it('refuses a segment named like a level, or with an unusable name', () => {
    expect(() => parseMapping({ ...mapping, segments: { region: 'area' } })).toThrow(/segments\.region: is a level already/);
    expect(() => parseMapping({ ...mapping, segments: { 'Seller ID': 'seller_id' } })).toThrow(/segments.*lower-case/);
    expect(() => parseMapping({ ...mapping, segments: { route: [] } })).toThrow(/segments\.route/);
  });

  it('rejects rows with bad dates with their line and reason, and keeps the others', async () => {
    const { summary, records, rejected } = await read(
      HEADER +
        '1,2015-01-01 08:00:00,,,A,B,C\n' +
        '2,2015-02-30 08:00:00,,,A,B,C\n' +
        '3,,,,A,B,C\n' +
        '4,2015-01-02 08:00:00,,yesterday,A,B,C\n' +
        '5,2015-01-03 08:00:00,,2015-01-01 08:00:00,A,B,C\n' +
        '6,2015-01-04 08:00:00,,,A,B\n' +
        '7,2015-01-05 08:00:00,,,A,B,C\n',
    );
    expect(records.map((r) => r.externalId)).toEqual(['1', '7']);
    expect(summary).toMatchObject({ rows: 7, accepted: 2, rejected: 5 });
    expect(rejected.map((r) => r.line)).toEqual([3, 4, 5, 6, 7]);
    expect(rejected[0].reason).toMatch(/createdAt \(opened\): cannot read "2015-02-30 08:00:00"/);
    expect(rejected[1].reason).toMatch(/createdAt \(opened\) is empty/);
    expect(rejected[2].reason).toMatch(/closedAt \(closed\): cannot read "yesterday"/);
    expect(rejected[3].reason).toMatch(/closedAt .* is before createdAt/);
    expect(rejected[4].reason).toMatch(/expected 7 fields, found 6/);
  });

  it('treats a close a few seconds before the creation as clock skew', async () => {
    const { records } = await read(HEADER + '1,2015-01-01 08:00:30,,2015-01-01 08:00:10,A,B,C\n');
    expect(records[0].closedAt).toBe(records[0].createdAt);
  });

  it('rejects duplicates by external id, else by content', async () => {
    const byId = await read(HEADER + '1,2015-01-01 08:00:00,,,A,B,C\n1,2015-01-02 08:00:00,,,A,B,C\n');
    expect(byId.records).toHaveLength(1);
    expect(byId.rejected).toEqual([{ line: 3, reason: 'duplicate: external id "1" already on line 2' }]);
    const { externalId: _id, ...columns } = mapping.columns;
    const noId = { ...mapping, columns };
    const byContent = await read(HEADER + '1,2015-01-01 08:00:00,,,A,B,C\n2,2015-01-01 08:00:00,,,A,B,C\n1,2015-01-01 08:00:00,,,A,B,C\n', noId);
    expect(byContent.records).toHaveLength(2);
    expect(byContent.summary.duplicates).toBe(1);
    expect(byContent.rejected[0]).toEqual({ line: 4, reason: 'duplicate: same content as line 2' });
  });

  it('rejects a row with a NUL character in any cell (PostgreSQL text cannot hold it), and a header with one', async () => {
    const { summary, records, rejected } = await read(
      HEADER + '1,2015-03-02 09:00:00,,,PWD\0,Light,Dorchester\n2,2015-03-02 09:00:00,,,PWD,Light,Roxbury\n3,2015-03-02 09:00:\x0000,,,PWD,Light,Back Bay\n',
    );
    expect(summary).toMatchObject({ rows: 3, accepted: 1, rejected: 2 });
    expect(records.map((r) => r.externalId)).toEqual(['2']);
    expect(rejected).toEqual([
      { line: 2, reason: 'column "dept" contains a NUL (U+0000) character' },
      { line: 4, reason: 'column "opened" contains a NUL (U+0000) character' },
    ]);
    await expect(read('id,op\0ened\n1,2\n')).rejects.toThrow(/header contains a NUL/);
  });

  it('reports broken quoting as one file-level error', async () => {
    await expect(read(HEADER + '1,2015-01-01 08:00:00,,,"A,B,C\n')).rejects.toMatchObject({ code: 'MALFORMED_CSV' });
  });

  it('refuses an empty file and an invalid mapping with clear errors', async () => {
    await expect(read('')).rejects.toMatchObject({ code: 'EMPTY_FILE' });
    await expect(read(HEADER, { zone: 'Mars/Olympus', columns: { createdAt: 'opened' } })).rejects.toThrow(/zone: not an IANA time zone/);
    await expect(read(HEADER, { columns: { closedAt: 'closed' } })).rejects.toThrow(/columns.createdAt is required/);
  });

  it.each(['olist', 'boston311_2015', 'nyc311_sample', 'servicenow_incidents'])('the ready mapping for %s is valid', (name) => {
    const text = readFileSync(join(__dirname, '../../../mappings', `${name}.mapping.json`), 'utf8');
    const m = parseMapping(text);
    expect(m.columns.createdAt).toBeDefined();
    expect(m.zone).toMatch(/^(UTC|America\/)/);
  });
});

describe('parseTimestamp', () => {
  const ny = new ZoneConverter('America/New_York');
  const iso = (t: string, f: 'iso' | 'us' | 'dmy' = 'iso') => {
    const p = parseTimestamp(t, f, ny);
    return p ? new Date(p.ms).toISOString() : null;
  };
  it('reads ISO with and without offsets', () => {
    expect(iso('2015-06-01T12:00:00Z')).toBe('2015-06-01T12:00:00.000Z');
    expect(iso('2015-06-01 12:00:00+02:00')).toBe('2015-06-01T10:00:00.000Z');
    expect(iso('2015-06-01 12:00:00.250')).toBe('2015-06-01T16:00:00.250Z');
  });
  it('reads US 12-hour and D-M-Y times', () => {
    expect(iso('02/06/2011 02:02:42 PM', 'us')).toBe('2011-02-06T19:02:42.000Z');
    expect(iso('02/06/2011 12:10:00 AM', 'us')).toBe('2011-02-06T05:10:00.000Z');
    expect(iso('3/7/2017 9:05', 'us')).toBe('2017-03-07T14:05:00.000Z');
    expect(iso('07-03-2017 09:05', 'dmy')).toBe('2017-03-07T14:05:00.000Z');
  });
  it('handles the DST jump and the repeated hour', () => {
    // 2015-03-08 02:30 does not exist in New York: it moves forward by the jump (to 03:30 EDT).
    expect(iso('2015-03-08 02:30:00')).toBe('2015-03-08T07:30:00.000Z');
    expect(iso('2015-03-08 03:30:00')).toBe('2015-03-08T07:30:00.000Z');
    expect(iso('2015-03-08 01:30:00')).toBe('2015-03-08T06:30:00.000Z');
    expect(iso('2015-11-01 00:30:00')).toBe('2015-11-01T04:30:00.000Z');
    expect(iso('2015-11-01 03:00:00')).toBe('2015-11-01T08:00:00.000Z');
  });
  it('rejects impossible or foreign text', () => {
    for (const t of ['2015-13-01', '2015-02-29 10:00', '31/31/2015', 'tomorrow', '2015-01-01 25:00', '2015-01-01T10:00:00+5']) expect(iso(t)).toBeNull();
    expect(iso('13/01/2015 10:00', 'us')).toBeNull();
  });
});
