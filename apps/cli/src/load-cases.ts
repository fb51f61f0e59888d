import { createReadStream, statSync } from 'node:fs';
import { readHistory, type HistoryRecord, type ReadSummary, type RejectedRow } from '@kept/history';
import type { HistoryMapping } from '@kept/contracts';
import { CaseTable } from '@kept/forecast';
import type { Progress } from './progress';

/** The built-in segment levels, most general first: the model's levels when nothing is chosen. */
export const LEVELS = ['category', 'priority', 'region'];

/** Every level a mapping offers: the built-in ones, then its extra segment columns (`segments`) by name. */
export function levelsOf(mapping: HistoryMapping): string[] {
  return [...LEVELS, ...Object.keys(mapping.segments)];
}

/** A record's value of each of `levels` (built-in fields, else extra segment columns by name). */
export function segmentValues(r: HistoryRecord, mapping: HistoryMapping, levels: readonly string[] = LEVELS): (string | undefined)[] {
  return levels.map((l) => {
    if (l === 'category') return r.category;
    if (l === 'region') return r.region;
    if (l === 'priority') return r.priority === undefined ? undefined : (mapping.priorityMap[r.priority] ?? r.priority);
    return r.segments?.[l];
  });
}

/** When the customer was done with the case: satisfied, else fixed, else closed. */
export function doneAt(r: HistoryRecord): number | undefined {
  return r.satisfiedAt ?? r.fixedAt ?? r.closedAt;
}

export interface LoadResult {
  summary: ReadSummary;
  rejected: RejectedRow[];
  rejectedCount: number;
}

/**
 * Streams one history file into the case table. `score` false: the rows are history the model learns
 * from but is not judged on; `scoreFrom`: only rows created at or after it are scored.
 */
export async function loadCases(table: CaseTable, file: string, mapping: HistoryMapping, opts: { score: boolean; scoreFrom?: number; progress: Progress; label: string; keepRejected?: number }): Promise<LoadResult> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const keep = opts.keepRejected ?? 20;
  const rejected: RejectedRow[] = [];
  let rejectedCount = 0;
  opts.progress.start(size, opts.label);
  const summary = await readHistory(createReadStream(file, { highWaterMark: 1 << 20 }), mapping, {
    onRecord(r) {
      table.push({
        createdAt: r.createdAt,
        doneAt: doneAt(r),
        orgDueAt: r.promisedAt,
        orgKept: r.orgKept,
        cancelled: r.cancelled,
        score: opts.score && (opts.scoreFrom === undefined || r.createdAt >= opts.scoreFrom),
        values: segmentValues(r, mapping, table.levels),
      });
    },
    onReject(r) {
      rejectedCount++;
      if (rejected.length < keep) rejected.push(r);
    },
    onProgress: (bytes) => opts.progress.update(bytes),
  });
  opts.progress.stop();
  return { summary, rejected, rejectedCount };
}
