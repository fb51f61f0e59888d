import type { BusinessCalendar } from '@kept/domain';
import { businessTimeBetween } from '@kept/domain';
import { CALIBRATION_TARGETS, Calibrator, CaseTable, evaluate, ForecastModel, selectLevels } from '@kept/forecast';
import { forEachTenantCase, type SqlClient, type StoredCase } from '@kept/history';

/** The built-in segment levels, most general first: the model's levels when the history is too short to choose. */
export const LEVELS = ['category', 'priority', 'region'];
/** The most recent cases the level choice replays (it replays them once per candidate and step). */
const SELECTION_CASES = 20_000;
/** At most this many of the tenant's extra segment names are offered to the choice (the most frequent). */
const MAX_OFFERED_SEGMENTS = 8;

/** What a case or a recommendation request says of each level: the built-in fields, else its extra segments by name. */
export interface SegmentSource {
  category: string;
  priority: string;
  region?: string;
  segments?: Record<string, string>;
}

/** The values of `levels` for one case (undefined where it has none). */
export function levelValues(levels: readonly string[], c: SegmentSource): (string | undefined)[] {
  return levels.map((l) => (l === 'category' ? c.category : l === 'priority' ? c.priority : l === 'region' ? c.region : c.segments?.[l]));
}
/** The most recent cases replayed to calibrate the quantile level (adaptive conformal inference). */
const CALIBRATION_CASES = 20_000;
/** Fewest decided outcomes before a replayed calibration level replaces the target itself. */
const MIN_CALIBRATION_OUTCOMES = 50;

export interface ContractClock {
  id: string;
  customerId: string;
  calendar: BusinessCalendar;
  promiseMinutes: number;
  promiseBasis: 'business' | 'wall';
}

/** What a model build produces from the tenant's cases (everything but the step shares). */
export interface BuiltModel {
  model: ForecastModel;
  /** Calibration for categories without enough outcomes of their own. */
  calibrator: Calibrator;
  /** Per-group calibration (Mondrian conformal) by the value of the first level, for groups with enough replayed outcomes. */
  categoryCalibrators: Map<string, Calibrator>;
  /** The segment levels, most general first: chosen on the tenant's history (selectLevels), else {@link LEVELS}. */
  levels: string[];
  builtAt: Date;
  cases: number;
  contracts: Map<string, ContractClock>;
}

export async function readTargetKeepRate(db: SqlClient, tenantId: string): Promise<number> {
  const rows = await db.query(`SELECT target_keep_rate FROM organizations WHERE id = $1`, [tenantId]);
  return rows.length ? Number(rows[0].target_keep_rate) : 0.9;
}

/** The tenant's contracts with their calendars (only those with these ids, when given). */
export async function readContracts(db: SqlClient, tenantId: string, ids?: string[]): Promise<Map<string, ContractClock>> {
  const rows = await db.query(
    `SELECT k.id, k.customer_id, k.promise_minutes, k.promise_basis, c.definition
       FROM contracts k JOIN calendars c ON c.id = k.calendar_id WHERE k.tenant_id = $1${ids ? ' AND k.id = ANY($2::uuid[])' : ''}`,
    ids ? [tenantId, ids] : [tenantId],
  );
  return new Map(
    rows.map((r) => [
      r.id as string,
      {
        id: r.id as string,
        customerId: r.customer_id as string,
        calendar: r.definition as BusinessCalendar,
        promiseMinutes: Number(r.promise_minutes),
        promiseBasis: r.promise_basis as 'business' | 'wall',
      },
    ]),
  );
}

/**
 * Builds a tenant's forecast model from its cases as of `now`: the segment levels chosen on its recent
 * history ({@link chooseLevels}), recency-weighted censored survival curves
 * on each case's own clock (its contract's calendar, else wall time), then the conformal calibration
 * replayed over the most recent cases. CPU-bound (seconds for 200,000 cases): it runs in a worker
 * thread (model-build.worker.ts), never on the API's event loop. `db` must be scoped to the tenant (RLS).
 */
export async function buildModel(db: SqlClient, tenantId: string, now: Date): Promise<BuiltModel> {
  const nowMs = now.getTime();
  // One connection, one query at a time.
  const target = await readTargetKeepRate(db, tenantId);
  const contracts = await readContracts(db, tenantId);
  const total = Number((await db.query(`SELECT count(*)::int AS n FROM cases WHERE tenant_id = $1`, [tenantId]))[0].n);
  // First pass: the most recent cases, on which the levels are chosen (two passes rather than holding a
  // big tenant's every case in memory).
  const recent: StoredCase[] = [];
  let index = 0;
  await forEachTenantCase(db, tenantId, (c) => {
    if (index++ >= total - SELECTION_CASES && !c.cancelled && c.openedAt <= nowMs) recent.push(c);
  });
  const levels = chooseLevels(recent, nowMs, target);
  const model = new ForecastModel(levels, { referenceTarget: target });
  const table = new CaseTable(levels);
  index = 0;
  let cases = 0;
  await forEachTenantCase(db, tenantId, (c) => {
    const i = index++;
    if (c.cancelled || c.openedAt > nowMs) return;
    cases++;
    const contract = c.contractId ? contracts.get(c.contractId) : undefined;
    const opened = new Date(c.openedAt);
    const length = (end: number) => Math.max(0, contract ? businessTimeBetween(opened, new Date(end), contract.calendar) * 60_000 : end - c.openedAt);
    const values = levelValues(levels, c);
    const path = model.pathOf(values, c.customerId);
    const done = c.doneAt !== undefined && c.doneAt <= nowMs ? c.doneAt : undefined;
    if (done !== undefined) model.addClosed(path, c.openedAt, length(done));
    else model.addOpen(path, c.openedAt, length(nowMs));
    if (i >= total - 2 * CALIBRATION_CASES) {
      table.push({ createdAt: c.openedAt, doneAt: done, values, score: i >= total - CALIBRATION_CASES });
    }
  });
  model.estimatePriorStrengths();
  const targets = [...new Set([...CALIBRATION_TARGETS, target])];
  const calibrator = new Calibrator(targets);
  const categoryCalibrators = new Map<string, Calibrator>();
  if (table.n > 2 * MIN_CALIBRATION_OUTCOMES) {
    // Conformal correction: replay the recent cases in time order with one adaptive level per category
    // and target. Categories with enough outcomes keep the levels they ended on; the others use the
    // mean level over the later half of the replay.
    const replay = evaluate(table, { target, targets });
    for (const row of replay.calibration) if (row.decided >= MIN_CALIBRATION_OUTCOMES) calibrator.setLevel(row.target, row.meanLevel);
    for (const c of replay.categoryLevels) {
      if (c.outcomes < MIN_CALIBRATION_OUTCOMES) continue;
      const cal = new Calibrator(targets);
      replay.calibration.forEach((row, k) => cal.setLevel(row.target, c.levels[k]));
      categoryCalibrators.set(c.category, cal);
    }
  }
  return { model, calibrator, categoryCalibrators, levels, builtAt: now, cases, contracts };
}

/**
 * The levels of the tenant's model, chosen as `kept evaluate` chooses them: forward selection on the
 * pinball loss of the target quantile over a replay of the most recent cases (forecast's selectLevels),
 * among the built-in levels and the extra segment names the cases carry; the built-in levels when the
 * history is too short to choose.
 */
export function chooseLevels(stored: readonly StoredCase[], nowMs: number, target: number): string[] {
  const recent = stored.slice(-SELECTION_CASES);
  const counts = new Map<string, number>();
  for (const c of recent) for (const k of Object.keys(c.segments)) counts.set(k, (counts.get(k) ?? 0) + 1);
  const extra = [...counts.entries()]
    .filter(([k]) => !LEVELS.includes(k))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_OFFERED_SEGMENTS)
    .map(([k]) => k);
  const offered = [...LEVELS, ...extra];
  const table = new CaseTable(offered);
  for (const c of recent) {
    const done = c.doneAt !== undefined && c.doneAt <= nowMs ? c.doneAt : undefined;
    table.push({ createdAt: c.openedAt, doneAt: done, values: levelValues(offered, c), score: false });
  }
  return selectLevels(table, { target, fallback: LEVELS }).levels;
}

/** A built model received by structured clone (from the worker), with its classes restored (the model's already). */
export function reviveBuiltModel(clone: BuiltModel): BuiltModel {
  const categoryCalibrators = new Map<string, Calibrator>();
  for (const [k, c] of clone.categoryCalibrators) categoryCalibrators.set(k, Calibrator.revive(c));
  return {
    model: clone.model,
    calibrator: Calibrator.revive(clone.calibrator),
    categoryCalibrators,
    levels: clone.levels,
    builtAt: new Date(clone.builtAt),
    cases: clone.cases,
    contracts: clone.contracts,
  };
}
