import type { CaseTable } from './case-table';
import type { Replay } from './replay';
import { pinballTerm } from './pinball';
import type { CalibrationRow, EvaluationResult, FrontierPoint, GroupFigures, HonestFigures, MonthlyFigures } from './types';

const HOUR = 3_600_000;

function median(values: number[], count = values.length): number | null {
  if (count === 0) return null;
  const a = Float64Array.from(values.length === count ? values : values.slice(0, count)).sort();
  const m = count >> 1;
  return count % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

const round = (x: number | null, d = 4) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);

/**
 * The figures of a replay: the keep-rate and median promise at the main target (overall, per category,
 * and on the rows where the organization promised too), the organization's own keep-rate, the
 * calibration table over every target, and the levels the calibrators ended on. Only scored,
 * non-cancelled cases count; an outcome still unknown at the end of the file is left out of the
 * keep-rate (and counted in `unknown`).
 */
export function summarize(table: CaseTable, r: Replay): EvaluationResult {
  const { target, targets, mainK, K, promiseH, outcome, honestFlag, statedLevel, levelSum, levelCount, trackers, byCategory, unscored, fileEnd, model } = r;
  const n = table.n;
  const { created, done, cancelled, score } = table;

  const figures = (rows: number[] | null): GroupFigures & { kept: number; decided: number; unknown: number; orgUnknown: number; keptOrg: number; decidedOrg: number; promOrg: number[] } => {
    let count = 0;
    let scored = 0;
    let kept = 0;
    let decided = 0;
    let unknown = 0;
    const prom: number[] = [];
    let orgKept = 0;
    let orgDecided = 0;
    let orgUnknown = 0;
    let orgRows = 0;
    const orgProm: number[] = [];
    let keptOrg = 0;
    let decidedOrg = 0;
    const promOrg: number[] = [];
    const visit = (i: number) => {
      if (!score[i] || cancelled[i]) return;
      count++;
      const h = promiseH[i * K + mainK];
      const o = outcome[i * K + mainK];
      // Honest fallbacks (no promise keeps the target) are counted apart, in `honest`.
      if (h === h && !honestFlag[i * K + mainK]) {
        scored++;
        prom.push(h);
        if (o >= 0) {
          decided++;
          kept += o;
        } else unknown++;
      }
      const due = table.orgDue[i];
      const d = done[i];
      if (due === due) {
        orgRows++;
        orgProm.push((due - created[i]) / HOUR);
        if (d === d && d <= due) {
          orgKept++;
          orgDecided++;
        } else if (due <= fileEnd) orgDecided++;
        else orgUnknown++;
        if (h === h) {
          promOrg.push(h);
          if (o >= 0) {
            decidedOrg++;
            keptOrg += o;
          }
        }
      } else if (table.orgFlag[i] >= 0) {
        orgRows++;
        orgDecided++;
        orgKept += table.orgFlag[i];
      }
    };
    if (rows) rows.forEach(visit);
    else for (let i = 0; i < n; i++) visit(i);
    return {
      rows: count,
      scored,
      keepRate: decided ? round(kept / decided) : null,
      medianPromiseHours: round(median(prom), 2),
      orgKeepRate: orgDecided ? round(orgKept / orgDecided) : null,
      orgMedianPromiseHours: round(median(orgProm), 2),
      orgRows,
      kept,
      decided,
      unknown,
      orgUnknown,
      keptOrg,
      decidedOrg,
      promOrg,
    };
  };

  const all = figures(null);
  const byCat = new Map<number, number[]>();
  if (table.levels.length > 0) {
    for (let i = 0; i < n; i++) {
      if (!score[i] || cancelled[i]) continue;
      const c = table.codes[0][i];
      const list = byCat.get(c);
      if (list) list.push(i);
      else byCat.set(c, [i]);
    }
  }
  const categories = [...byCat.entries()]
    .map(([c, rows]) => {
      const f = figures(rows);
      return {
        category: table.dicts[0][c] || '(none)',
        rows: f.rows,
        scored: f.scored,
        keepRate: f.keepRate,
        medianPromiseHours: f.medianPromiseHours,
        orgKeepRate: f.orgKeepRate,
        orgMedianPromiseHours: f.orgMedianPromiseHours,
        orgRows: f.orgRows,
      };
    })
    .sort((a, b) => b.rows - a.rows);

  const meanFinal = (k: number) => {
    const live = trackers.filter((t) => t !== undefined);
    return live.length ? live.reduce((a, t) => a + t[k].level, 0) / live.length : targets[k];
  };
  const calibration: CalibrationRow[] = targets.map((tg, k) => {
    let kept = 0;
    let decided = 0;
    const prom: number[] = [];
    for (let i = 0; i < n; i++) {
      const h = promiseH[i * K + k];
      if (h !== h || honestFlag[i * K + k]) continue;
      prom.push(h);
      const o = outcome[i * K + k];
      if (o >= 0) {
        decided++;
        kept += o;
      }
    }
    return { target: tg, keepRate: decided ? round(kept / decided) : null, decided, medianPromiseHours: round(median(prom), 2), finalLevel: round(meanFinal(k)) as number, meanLevel: round(levelCount[k] ? levelSum[k] / levelCount[k] : tg) as number };
  });

  /** Cases where no promise kept the target: how many, the level stated, how often the fallback kept. */
  const honestFigures = (): HonestFigures[] =>
    targets.map((tg, k) => {
      let cases = 0;
      let kept = 0;
      let decided = 0;
      let stated = 0;
      const prom: number[] = [];
      for (let i = 0; i < n; i++) {
        const ik = i * K + k;
        if (!honestFlag[ik] || promiseH[ik] !== promiseH[ik]) continue;
        cases++;
        stated += statedLevel[ik];
        prom.push(promiseH[ik]);
        if (outcome[ik] >= 0) {
          decided++;
          kept += outcome[ik];
        }
      }
      return { target: tg, cases, keepRate: decided ? round(kept / decided) : null, meanStatedLevel: cases ? round(stated / cases) : null, medianPromiseHours: round(median(prom), 2) };
    });

  /**
   * Every promise made (honest fallbacks included: they are what the customer hears) at each target:
   * keep-rate and median promise, the pinball loss of the target quantile, the organization's point,
   * Kept's median promise at the organization's keep-rate over the organization's median, and the
   * keep-rate per calendar month (UTC) at the main target (standable promises; honest ones counted apart).
   */
  const frontierFigures = (orgKeep: number | null, orgMedian: number | null) => {
    const frontier: FrontierPoint[] = targets.map((tg, k) => {
      let kept = 0;
      let decided = 0;
      const prom: number[] = [];
      for (let i = 0; i < n; i++) {
        const h = promiseH[i * K + k];
        if (h !== h) continue;
        prom.push(h);
        const o = outcome[i * K + k];
        if (o >= 0) {
          decided++;
          kept += o;
        }
      }
      return { target: tg, keepRate: decided ? round(kept / decided) : null, medianPromiseHours: round(median(prom), 2) };
    });
    // Pinball loss ρ_τ(y − q) at the main target, hours, per case: y the real duration; a case still
    // open at the end of the file counts with its age there when that already exceeds the promise (a
    // lower bound), and is left out otherwise (its loss is unknown).
    let loss = 0;
    let lossN = 0;
    for (let i = 0; i < n; i++) {
      if (!score[i] || cancelled[i]) continue;
      const l = pinballTerm(target, promiseH[i * K + mainK], created[i], done[i], fileEnd);
      if (l !== l) continue;
      loss += l;
      lossN++;
    }
    let promiseRatioAtOrgKeep: number | null = null;
    if (orgKeep !== null && orgMedian) {
      const pts = frontier.filter((p) => p.keepRate !== null && p.medianPromiseHours !== null).sort((a, b) => (a.keepRate as number) - (b.keepRate as number));
      for (let j = 1; j < pts.length; j++) {
        const a = pts[j - 1];
        const b = pts[j];
        const ka = a.keepRate as number;
        const kb = b.keepRate as number;
        if (orgKeep >= ka && orgKeep <= kb && kb > ka) {
          const m = (a.medianPromiseHours as number) + (((b.medianPromiseHours as number) - (a.medianPromiseHours as number)) * (orgKeep - ka)) / (kb - ka);
          promiseRatioAtOrgKeep = round(m / orgMedian);
          break;
        }
      }
    }
    const months = new Map<string, { kept: number; decided: number; honest: number }>();
    for (let i = 0; i < n; i++) {
      const ik = i * K + mainK;
      if (!score[i] || cancelled[i] || promiseH[ik] !== promiseH[ik]) continue;
      const key = new Date(created[i]).toISOString().slice(0, 7);
      let m = months.get(key);
      if (!m) months.set(key, (m = { kept: 0, decided: 0, honest: 0 }));
      if (honestFlag[ik]) m.honest++;
      else if (outcome[ik] >= 0) {
        m.decided++;
        m.kept += outcome[ik];
      }
    }
    const monthly: MonthlyFigures[] = [...months.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([month, m]) => ({ month, cases: m.decided, keepRate: m.decided ? round(m.kept / m.decided) : null, honest: m.honest }));
    return {
      frontier,
      pinballLoss: lossN ? round(loss / lossN, 3) : null,
      pinballCases: lossN,
      org: orgKeep === null ? null : { keepRate: orgKeep, medianPromiseHours: orgMedian },
      promiseRatioAtOrgKeep,
      monthly,
    };
  };

  let cancelledCount = 0;
  let firstCreated = Infinity;
  for (let i = 0; i < n; i++) {
    if (!score[i]) continue;
    if (cancelled[i]) cancelledCount++;
    if (created[i] < firstCreated) firstCreated = created[i];
  }

  return {
    target,
    halfLifeDays: model.halfLifeDays,
    rows: all.rows,
    scored: all.scored,
    keepRate: all.keepRate,
    medianPromiseHours: all.medianPromiseHours,
    orgKeepRate: all.orgKeepRate,
    orgMedianPromiseHours: all.orgMedianPromiseHours,
    orgRows: all.orgRows,
    kept: all.kept,
    decided: all.decided,
    unknown: all.unknown,
    keepRateLowerBound: all.decided + all.unknown ? round(all.kept / (all.decided + all.unknown)) : null,
    unscored,
    cancelled: cancelledCount,
    orgUnknown: all.orgUnknown,
    keepRateOnOrgRows: all.decidedOrg ? round(all.keptOrg / all.decidedOrg) : null,
    medianPromiseHoursOnOrgRows: round(median(all.promOrg), 2),
    calibration,
    categories,
    categoryLevels: byCategory
      ? trackers.flatMap((t, g) => (t ? [{ category: table.dicts[0][g], outcomes: t[mainK].updates, levels: t.map((a) => round(a.level) as number) }] : []))
      : [],
    honest: honestFigures(),
    ...frontierFigures(all.orgKeepRate, all.orgMedianPromiseHours),
    priorStrengths: model.priorStrengths().map((k) => Math.round(k * 10) / 10),
    segments: model.segmentCount,
    firstCreated: Number.isFinite(firstCreated) ? new Date(firstCreated).toISOString() : null,
    lastTimestamp: Number.isFinite(fileEnd) ? new Date(fileEnd).toISOString() : null,
  };
}
