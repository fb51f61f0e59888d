import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runEvaluate, type EvaluateCommandOptions } from '../src/commands/evaluate';

/** `kept evaluate` on a real dataset (ServiceNow incidents, sorted by opening time, one line per row). */
const root = path.resolve(__dirname, '../../..');
const file = path.join(root, 'test-fixtures/data/servicenow_incidents/dev.csv');
const mapping = path.join(root, 'mappings/servicenow_incidents.mapping.json');
const opts = (over: Partial<EvaluateCommandOptions> = {}): EvaluateCommandOptions => ({ mapping, target: 0.9, halfLife: 60, calibration: true, categories: 5, ...over });

describe('kept evaluate', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kept-eval-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a report and, with --json, one JSON object as the last line', async () => {
    const out: string[] = [];
    const res = await runEvaluate(file, opts({ json: true }), (l) => void out.push(l), () => undefined);
    const last = JSON.parse(out[out.length - 1]);
    for (const key of ['keepRate', 'medianPromiseHours', 'orgKeepRate', 'orgMedianPromiseHours', 'rows', 'calibration']) expect(last).toHaveProperty(key);
    expect(last.rows).toBe(622);
    expect(last.calibration.map((c: { target: number }) => c.target)).toEqual([0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]);
    // The organization's verdict is made_sla (no due time): a keep-rate without a promise length.
    expect(last.orgMedianPromiseHours).toBeNull();
    const rows = readFileSync(file, 'utf8').trimEnd().split('\n').slice(1);
    const madeSla = rows.filter((l) => l.split(',')[6] === 'TRUE').length;
    expect(last.orgKeepRate).toBeCloseTo(madeSla / rows.length, 3);
    expect(res.keepRate).toBe(last.keepRate);
    expect(out.some((l) => l.startsWith('calibration: target → observed keep-rate'))).toBe(true);
  });

  it('--history on the first part of a time split scores the same as --score-from on the whole file', async () => {
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const cut = 1 + Math.floor((lines.length - 1) * 0.7);
    const first = path.join(dir, 'first.csv');
    const rest = path.join(dir, 'rest.csv');
    writeFileSync(first, lines.slice(0, cut).join('\n') + '\n');
    writeFileSync(rest, [lines[0], ...lines.slice(cut)].join('\n') + '\n');
    const splitAt = `${lines[cut].split(',')[1].replace(' ', 'T')}Z`;
    const quiet = () => undefined;
    const viaHistory = await runEvaluate(rest, opts({ history: first }), quiet, quiet);
    const viaScoreFrom = await runEvaluate(file, opts({ scoreFrom: splitAt }), quiet, quiet);
    expect(viaHistory.historyRows).toBe(cut - 1);
    expect(viaHistory.rows).toBe(lines.length - cut);
    for (const key of ['rows', 'keepRate', 'medianPromiseHours', 'orgKeepRate', 'unknown'] as const) expect(viaHistory[key]).toEqual(viaScoreFrom[key]);
    // The levels are chosen on the history alone, the same way in both runs.
    expect(viaHistory.levelSelection).toEqual(viaScoreFrom.levelSelection);
    expect(viaHistory.levelSelection).toMatchObject({ method: 'selected', historyRows: cut - 1 });
  });

  it("offers the mapping's extra segment columns to the level choice; --levels sets them by hand", async () => {
    const quiet = () => undefined;
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const splitAt = `${lines[1 + Math.floor((lines.length - 1) * 0.7)].split(',')[1].replace(' ', 'T')}Z`;
    const chosen = await runEvaluate(file, opts({ scoreFrom: splitAt }), quiet, quiet);
    const tried = new Set((chosen.levelSelection as { trials: { levels: string[] }[] }).trials.flatMap((t) => t.levels));
    for (const l of ['assignment_group', 'impact', 'urgency']) expect(tried).toContain(l);
    const byHand = await runEvaluate(file, opts({ scoreFrom: splitAt, levels: ['impact', 'assignment_group'] }), quiet, quiet);
    expect(byHand.levels).toEqual(['impact', 'assignment_group']);
    expect(byHand.levelSelection).toEqual({ method: 'manual' });
    await expect(runEvaluate(file, opts({ levels: ['category', 'sellr'] }), quiet, quiet)).rejects.toThrow(/--levels: unknown segment level "sellr"; the mapping offers category, priority, region, assignment_group, impact, urgency/);
  });

  it('refuses a bad target, a missing file and a mapping that does not fit', async () => {
    const quiet = () => undefined;
    await expect(runEvaluate(file, opts({ target: 1.5 }), quiet, quiet)).rejects.toThrow(/--target must be between 0 and 1/);
    await expect(runEvaluate(path.join(dir, 'nope.csv'), opts(), quiet, quiet)).rejects.toThrow(/cannot read .*nope.csv: no such file/);
    await expect(runEvaluate(file, opts({ mapping: path.join(root, 'mappings/olist.mapping.json') }), quiet, quiet)).rejects.toMatchObject({ code: 'MISSING_COLUMNS' });
  });
});
