import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import {
  HISTORY_TEXT_FIELDS,
  HISTORY_TIME_FIELDS,
  historyMappingSchema,
  type HistoryMapping,
  type HistoryTextField,
  type HistoryTimeField,
} from '@kept/contracts';
import { parseTimestamp, ZoneConverter } from './timestamp';

/** One accepted row of a history file, times as epoch ms. */
export interface HistoryRecord {
  /** 1-based line of the file where the row ends (the header is line 1). */
  line: number;
  externalId?: string;
  createdAt: number;
  requiredAt?: number;
  promisedAt?: number;
  fixedAt?: number;
  closedAt?: number;
  satisfiedAt?: number;
  category?: string;
  priority?: string;
  customer?: string;
  site?: string;
  region?: string;
  status?: string;
  /** Values of the mapping's extra segment columns (`segments`), by name; a composite's parts joined with " → ". */
  segments?: Record<string, string>;
  /** Raw value of the organization's verdict column (mapping `keptFlag`). */
  keptFlag?: string;
  cancelled: boolean;
  /** The organization's own verdict (mapping `keptFlag`), when the data has one. */
  orgKept?: boolean;
  /** 53-bit hash of the raw row, hex: the idempotency key when there is no external id. */
  contentHash: string;
}

export interface RejectedRow {
  line: number;
  reason: string;
}

export type HistoryFileErrorCode = 'INVALID_MAPPING' | 'INVALID_UTF8' | 'MALFORMED_CSV' | 'EMPTY_FILE' | 'MISSING_COLUMNS';

/** A problem with the whole file: nothing of it should be used. */
export class HistoryFileError extends Error {
  constructor(
    readonly code: HistoryFileErrorCode,
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'HistoryFileError';
  }
}

export interface ReadSummary {
  /** Data rows read (not counting the header or blank lines). */
  rows: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  bytes: number;
  header: string[];
}

export interface ReadHandlers {
  onRecord(record: HistoryRecord): void | Promise<void>;
  onReject?(row: RejectedRow): void | Promise<void>;
  /** Called with the bytes read so far, at most once per chunk. */
  onProgress?(bytes: number): void;
}

/** Parses and validates a mapping (JSON text or object); throws HistoryFileError('INVALID_MAPPING'). */
export function parseMapping(input: unknown): HistoryMapping {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new HistoryFileError('INVALID_MAPPING', `mapping is not valid JSON: ${(e as Error).message}`);
    }
  }
  const parsed = historyMappingSchema.safeParse(value);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new HistoryFileError('INVALID_MAPPING', `invalid mapping: ${detail}`);
  }
  return parsed.data;
}

/** Tolerated clock skew between creation and close stamps. */
export const CLOCK_SKEW_MS = 5 * 60_000;

function cyrb53(str: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function countNewlines(s: string): number {
  let n = 0;
  let i = s.indexOf('\n');
  while (i !== -1) {
    n++;
    i = s.indexOf('\n', i + 1);
  }
  return n;
}

/** The columns of a mapping as a list, for messages. */
function refs(ref: string | string[]): string[] {
  return Array.isArray(ref) ? ref : [ref];
}

interface CompiledField<F> {
  field: F;
  idx: number[];
}

/**
 * Streams a CSV history file through a mapping. The file is decoded as strict UTF-8 (a BOM is dropped),
 * parsed with csv-parse and never held whole in memory. File-level problems (invalid UTF-8, broken
 * quoting, missing mapped columns, an empty file) throw one HistoryFileError; row-level problems (a
 * missing or unreadable date, a close before the creation, a duplicate) reject that row with its line
 * number and reason and the rest goes on.
 */
export async function readHistory(source: Readable | AsyncIterable<Buffer | string>, mappingInput: HistoryMapping | unknown, handlers: ReadHandlers): Promise<ReadSummary> {
  const mapping = parseMapping(mappingInput);
  const zone = new ZoneConverter(mapping.zone);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  let decodedLines = 0;

  const decode = new Transform({
    transform(chunk: Buffer | string, _enc, cb) {
      if (typeof chunk === 'string') chunk = Buffer.from(chunk, 'utf8');
      try {
        const text = decoder.decode(chunk, { stream: true });
        bytes += chunk.length;
        decodedLines += countNewlines(text);
        handlers.onProgress?.(bytes);
        cb(null, text);
      } catch {
        const lenient = new TextDecoder('utf-8').decode(chunk);
        const bad = lenient.indexOf('\uFFFD');
        const line = decodedLines + 1 + countNewlines(lenient.slice(0, Math.max(0, bad)));
        cb(new HistoryFileError('INVALID_UTF8', `the file is not valid UTF-8 (first bad byte on line ${line}); re-save it as UTF-8`, line));
      }
    },
    flush(cb) {
      try {
        cb(null, decoder.decode());
      } catch {
        cb(new HistoryFileError('INVALID_UTF8', 'the file is not valid UTF-8 (it ends inside a multi-byte character)', decodedLines + 1));
      }
    },
  });

  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, relax_quotes: false });
  const summary: ReadSummary = { rows: 0, accepted: 0, rejected: 0, duplicates: 0, bytes: 0, header: [] };
  const seen = new Map<string | number, number>();
  let timeFields: CompiledField<HistoryTimeField>[] = [];
  let textFields: CompiledField<HistoryTextField>[] = [];
  let segmentFields: CompiledField<string>[] = [];
  const dateOnly = new Set(mapping.dateOnly);
  const cancelled = new Set(mapping.cancelledStatuses);
  const kept = new Set(mapping.keptValues);

  const consume = async () => {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      const line = info.lines;
      if (summary.header.length === 0) {
        if (record.some((h) => h.includes('\0'))) {
          // PostgreSQL text cannot hold U+0000: refuse here rather than fail at the database.
          throw new HistoryFileError('MALFORMED_CSV', 'the header contains a NUL (U+0000) character', line);
        }
        summary.header = record.map((h) => h.trim());
        const index = new Map<string, number>();
        summary.header.forEach((h, i) => {
          if (!index.has(h)) index.set(h, i);
        });
        const missing: string[] = [];
        const compile = <F extends HistoryTextField | HistoryTimeField>(fields: readonly F[]): CompiledField<F>[] =>
          fields.flatMap((field) => {
            const ref = mapping.columns[field];
            if (ref === undefined) return [];
            const idx = refs(ref).map((c) => {
              const i = index.get(c);
              if (i === undefined) missing.push(`"${c}" (${field})`);
              return i ?? -1;
            });
            return [{ field, idx }];
          });
        timeFields = compile(HISTORY_TIME_FIELDS);
        textFields = compile(HISTORY_TEXT_FIELDS);
        segmentFields = Object.entries(mapping.segments).map(([name, ref]) => ({
          field: name,
          idx: refs(ref).map((c) => {
            const i = index.get(c);
            if (i === undefined) missing.push(`"${c}" (segments.${name})`);
            return i ?? -1;
          }),
        }));
        if (missing.length > 0) {
          throw new HistoryFileError(
            'MISSING_COLUMNS',
            `the file lacks mapped column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; its header has: ${summary.header.slice(0, 50).join(', ')}`,
            1,
          );
        }
        continue;
      }
      summary.rows++;
      const reject = async (reason: string) => {
        summary.rejected++;
        await handlers.onReject?.({ line, reason });
      };
      if (record.length !== summary.header.length) {
        await reject(`expected ${summary.header.length} fields, found ${record.length}`);
        continue;
      }
      const nul = record.findIndex((c) => c.includes('\0'));
      if (nul >= 0) {
        // PostgreSQL text cannot hold U+0000: the row is reported, not sent to the database.
        await reject(`column "${summary.header[nul]}" contains a NUL (U+0000) character`);
        continue;
      }
      const rec: HistoryRecord = { line, createdAt: NaN, cancelled: false, contentHash: '' };
      let error: string | null = null;
      for (const { field, idx } of textFields) {
        let value = '';
        for (const i of idx) {
          const v = record[i].trim();
          if (v !== '') value = value === '' ? v : `${value} / ${v}`;
        }
        if (value !== '') rec[field] = value.length > 500 ? value.slice(0, 500) : value;
      }
      if (segmentFields.length > 0) {
        // A composite keeps every part's position (an empty part stays empty): "SP → " is not "SP".
        const segs: Record<string, string> = {};
        for (const { field, idx } of segmentFields) {
          const parts = idx.map((i) => record[i].trim());
          if (parts.some((v) => v !== '')) {
            const value = parts.join(' → ');
            segs[field] = value.length > 500 ? value.slice(0, 500) : value;
          }
        }
        rec.segments = segs;
      }
      for (const { field, idx } of timeFields) {
        let raw = '';
        for (const i of idx) {
          raw = record[i].trim();
          if (raw !== '') break;
        }
        if (raw === '') continue;
        const format = mapping.formats[field] ?? mapping.timestampFormat;
        const parsed = parseTimestamp(raw, format, zone, dateOnly.has(field), field === 'createdAt' ? 'start' : 'end');
        if (!parsed) {
          error = `${field} (${refs(mapping.columns[field] as string | string[]).join(' | ')}): cannot read "${raw.slice(0, 60)}" as a ${format} timestamp`;
          break;
        }
        rec[field] = parsed.ms;
      }
      if (error === null && Number.isNaN(rec.createdAt)) {
        error = `createdAt (${refs(mapping.columns.createdAt as string | string[]).join(' | ')}) is empty`;
      }
      if (error === null) {
        for (const f of ['fixedAt', 'closedAt', 'satisfiedAt'] as const) {
          const t = rec[f];
          if (t !== undefined && t < rec.createdAt) {
            // Clock skew between the systems that stamp open and close (seconds in Boston 311): a close up to
            // CLOCK_SKEW_MS before the creation counts as a close at the creation; more is an error.
            if (rec.createdAt - t <= CLOCK_SKEW_MS) {
              rec[f] = rec.createdAt;
              continue;
            }
            error = `${f} (${new Date(t).toISOString()}) is before createdAt (${new Date(rec.createdAt).toISOString()})`;
            break;
          }
        }
      }
      if (error !== null) {
        await reject(error);
        continue;
      }
      if (rec.status !== undefined && cancelled.has(rec.status)) rec.cancelled = true;
      if (rec.keptFlag !== undefined) rec.orgKept = kept.has(rec.keptFlag);
      const hash = cyrb53(record.join('\u0001'));
      rec.contentHash = hash.toString(16).padStart(14, '0');
      const key: string | number = rec.externalId !== undefined ? `id:${rec.externalId}` : hash;
      const first = seen.get(key);
      if (first !== undefined) {
        summary.duplicates++;
        await reject(rec.externalId !== undefined ? `duplicate: external id "${rec.externalId}" already on line ${first}` : `duplicate: same content as line ${first}`);
        continue;
      }
      seen.set(key, line);
      summary.accepted++;
      const r = handlers.onRecord(rec);
      if (r !== undefined) await r;
    }
  };

  try {
    await Promise.all([pipeline(source as Readable, decode, parser), consume()]);
  } catch (e) {
    parser.destroy();
    decode.destroy();
    if (e instanceof HistoryFileError) throw e;
    const err = e as Error & { code?: string; lines?: number };
    if (typeof err.code === 'string' && err.code.startsWith('CSV_')) {
      throw new HistoryFileError('MALFORMED_CSV', `malformed CSV near line ${err.lines ?? '?'}: ${err.message}`, err.lines);
    }
    throw e;
  }
  if (summary.header.length === 0) throw new HistoryFileError('EMPTY_FILE', 'the file is empty: it has no header row');
  summary.bytes = bytes;
  return summary;
}
