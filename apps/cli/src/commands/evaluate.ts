import { readFileSync, writeFileSync } from 'node:fs';
import { frontierSvg } from './plot';
import { CaseTable, evaluate, selectLevels, type EvaluationResult, type LevelSelection } from '@kept/forecast';
import { parseMapping } from '@kept/history';
import type { HistoryMapping } from '@kept/contracts';
import { LEVELS, levelsOf, loadCases } from '../load-cases';
import { progress } from '../progress';

export interface EvaluateCommandOptions {
  mapping: string;
  target: number;
  history?: string;
  historyMapping?: string;
  scoreFrom?: string;
  halfLife: number;
  epochMinutes?: number;
  calibrateBy?: 'category' | 'global';
  calibrator?: 'dtaci' | 'aci';
  honest?: boolean;
  /** Segment levels by hand, most general first (default: chosen on the history by pinball loss). */
  levels?: string[];
  plot?: string;
  json?: boolean;
  calibration: boolean;
  categories: number;
  progress?: boolean;
}

export function readMapping(file: string): HistoryMapping {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the mapping ${file}: ${(e as Error).message}`);
  }
  return parseMapping(text);
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);
const hours = (x: number | null) => (x === null ? '—' : x >= 48 ? `${(x / 24).toFixed(1)} d` : `${x.toFixed(1)} h`);

export interface EvaluateOutput extends EvaluationResult {
  file: string;
  history: string | null;
  historyRows: number;
  /** Data rows of FILE (accepted + rejected); `rows` counts the scored, non-cancelled ones. */
  fileRows: number;
  rejected: number;
  rejectedSample: { line: number; reason: string; file: string }[];
  /** The segment levels the model used and how they were chosen (`manual`: --levels). */
  levels: string[];
  levelSelection: LevelSelection | { method: 'manual' };
  seconds: number;
}

export async function runEvaluate(file: string, o: EvaluateCommandOptions, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`), err: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<EvaluateOutput> {
  const started = Date.now();
  if (!(o.target > 0 && o.target < 1)) throw new Error('--target must be between 0 and 1 (e.g. 0.9)');
  const mapping = readMapping(o.mapping);
  const bar = progress(o.progress ?? process.stderr.isTTY === true);
  const offered = levelsOf(mapping);
  if (o.history && o.historyMapping) {
    const hm = readMapping(o.historyMapping);
    const extra = levelsOf(hm).filter((l) => !offered.includes(l));
    if (extra.length > 0) throw new Error(`--history-mapping names segment columns the mapping lacks: ${extra.join(', ')}`);
  }
  if (o.levels) {
    const unknown = o.levels.filter((l) => !offered.includes(l));
    if (unknown.length > 0) throw new Error(`--levels: unknown segment level${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; the mapping offers ${offered.join(', ')}`);
  }
  const table = new CaseTable(offered);
  const rejectedSample: EvaluateOutput['rejectedSample'] = [];
  let rejected = 0;
  let historyRows = 0;
  if (o.history) {
    const hm = o.historyMapping ? readMapping(o.historyMapping) : mapping;
    const h = await loadCases(table, o.history, hm, { score: false, progress: bar, label: 'history' });
    historyRows = h.summary.accepted;
    rejected += h.rejectedCount;
    rejectedSample.push(...h.rejected.map((r) => ({ ...r, file: o.history as string })));
  }
  let scoreFrom: number | undefined;
  if (o.scoreFrom) {
    scoreFrom = Date.parse(o.scoreFrom);
    if (Number.isNaN(scoreFrom)) throw new Error(`--score-from: cannot read "${o.scoreFrom}" as an ISO timestamp`);
  }
  const main = await loadCases(table, file, mapping, { score: true, scoreFrom, progress: bar, label: 'reading' });
  rejected += main.rejectedCount;
  rejectedSample.push(...main.rejected.map((r) => ({ ...r, file })));
  // The levels: by hand (--levels), else chosen on the history part alone (never on the scored rows).
  const levelSelection: EvaluateOutput['levelSelection'] = o.levels ? { method: 'manual' } : selectLevels(table, { target: o.target, halfLifeDays: o.halfLife, fallback: LEVELS });
  const levels = o.levels ?? (levelSelection as LevelSelection).levels;
  bar.start(table.n, 'replaying');
  const result = evaluate(table.withLevels(levels), { target: o.target, halfLifeDays: o.halfLife, epochMs: (o.epochMinutes ?? 60) * 60_000, calibrate: o.calibration, calibrateBy: o.calibrateBy, calibrator: o.calibrator, honest: o.honest, onProgress: (d) => bar.update(d) });
  bar.stop();
  const output: EvaluateOutput = { file, history: o.history ?? null, historyRows, fileRows: main.summary.rows, rejected, rejectedSample: rejectedSample.slice(0, 20), levels, levelSelection, seconds: (Date.now() - started) / 1000, ...result };

  if (rejected > 0) {
    err(`${rejected} row(s) rejected; first ones:`);
    for (const r of rejectedSample.slice(0, 10)) err(`  ${r.file}:${r.line}: ${r.reason}`);
  }
  out(`kept evaluate ${file}${o.history ? ` (history: ${o.history}, ${historyRows} rows learned first)` : ''}`);
  out(`rows scored ${result.rows} (${result.firstCreated ?? '—'} … ${result.lastTimestamp ?? '—'}), cancelled ${result.cancelled}, no history yet ${result.unscored}, outcome unknown at file end ${result.unknown}`);
  out(`segment levels ${levels.length ? levels.join(' → ') : '(all cases pooled)'} (${levelSelection.method === 'manual' ? 'by hand' : levelSelection.method === 'selected' ? `chosen on ${levelSelection.scoredRows} history cases by the pinball loss at ${pct(o.target)}` : 'built-in: too little history to choose'})`);
  if (levelSelection.method === 'selected') for (const s of levelSelection.steps) out(`  + ${s.added}: gain ${s.gain} h per case ± ${s.standardError} → ${s.accepted ? 'kept' : 'not significant, stop'}`);
  out(`target ${pct(result.target)}, recency half-life ${result.halfLifeDays} days, conformal calibration ${o.calibration ? `on (by ${o.calibrateBy ?? 'category'})` : 'off'}, ${result.segments} segments, prior strengths κ by level ${result.priorStrengths.slice(1).join(' / ')}`);
  out('');
  out('                          keep-rate   median promise   cases');
  out(`recommender               ${pct(result.keepRate).padStart(9)}   ${hours(result.medianPromiseHours).padStart(14)}   ${result.decided}`);
  if (result.unknown > 0) out(`  (if the ${result.unknown} unknown outcomes were all misses: ${pct(result.keepRateLowerBound)})`);
  if (result.orgRows > 0) {
    out(`organization              ${pct(result.orgKeepRate).padStart(9)}   ${hours(result.orgMedianPromiseHours).padStart(14)}   ${result.orgRows}`);
    if (result.keepRateOnOrgRows !== null) out(`recommender, same cases   ${pct(result.keepRateOnOrgRows).padStart(9)}   ${hours(result.medianPromiseHoursOnOrgRows).padStart(14)}`);
  } else out('organization              (the data has no promises of its own)');
  out('');
  out('calibration: target → observed keep-rate (median promise)');
  for (const c of result.calibration) out(`  ${pct(c.target).padStart(7)} → ${pct(c.keepRate).padStart(7)}  (${hours(c.medianPromiseHours)}, ${c.decided} cases, mean level ${c.meanLevel})`);
  const hMain = result.honest.find((h) => h.target === result.target);
  if (hMain && hMain.cases > 0) {
    out('');
    out(`no promise keeps ${pct(result.target)} for ${hMain.cases} cases (never closed, or beyond the data): the longest standable promise was made instead,`);
    out(`  stated at ${pct(hMain.meanStatedLevel)} on average, kept ${pct(hMain.keepRate)}, median ${hours(hMain.medianPromiseHours)} — counted apart from the keep-rate above`);
  }
  out('');
  out(`frontier (every promise made): ${result.frontier.map((f) => `${pct(f.target)} → ${pct(f.keepRate)} / ${hours(f.medianPromiseHours)}`).join(', ')}`);
  out(`pinball loss at ${pct(result.target)}: ${result.pinballLoss ?? '—'} h per case (${result.pinballCases} cases)`);
  if (result.promiseRatioAtOrgKeep !== null) out(`median promise at the organization's keep-rate / the organization's median: ${result.promiseRatioAtOrgKeep}`);
  out(`monthly keep-rate at ${pct(result.target)}: ${result.monthly.map((m) => `${m.month} ${pct(m.keepRate)} (${m.cases})`).join(', ')}`);
  if (o.plot) {
    writeFileSync(o.plot, frontierSvg(result, file));
    out(`plot written to ${o.plot}`);
  }
  out('');
  const cats = result.categories.slice(0, o.categories);
  // The figures group by the first chosen level (the calibration's group too), whatever its name.
  const group = levels[0] ?? 'category';
  out(`by ${group} (${cats.length} of ${result.categories.length}, largest first)`);
  out(`  ${group.padEnd(40)} ${'rows'.padStart(7)} ${'keep'.padStart(8)} ${'median'.padStart(9)} ${'org keep'.padStart(9)} ${'org med'.padStart(9)}`);
  for (const c of cats) {
    out(`  ${c.category.slice(0, 40).padEnd(40)} ${String(c.rows).padStart(7)} ${pct(c.keepRate).padStart(8)} ${hours(c.medianPromiseHours).padStart(9)} ${pct(c.orgKeepRate).padStart(9)} ${hours(c.orgMedianPromiseHours).padStart(9)}`);
  }
  out(`done in ${output.seconds.toFixed(1)} s`);
  if (o.json) out(JSON.stringify(output));
  return output;
}
