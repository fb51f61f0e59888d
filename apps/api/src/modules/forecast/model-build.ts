import type { BusinessCalendar } from '@kept/domain';
import { businessTimeBetween } from '@kept/domain';
import { CALIBRATION_TARGETS, Calibrator, CaseTable, evaluate, ForecastModel } from '@kept/forecast';
import { forEachTenantCase, type SqlClient } from '@kept/history';

export const LEVELS = ['category', 'priority', 'region'];
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
  /** Per-category calibration (Mondrian conformal), for categories with enough replayed outcomes. */
  categoryCalibrators: Map<string, Calibrator>;
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
 * Builds a tenant's forecast model from its cases as of `now`: recency-weighted censored survival curves
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
  const model = new ForecastModel(LEVELS, { referenceTarget: target });
  const table = new CaseTable(LEVELS);
  let index = 0;
  let cases = 0;
  await forEachTenantCase(db, tenantId, (c) => {
    const i = index++;
    if (c.cancelled || c.openedAt > nowMs) return;
    cases++;
    const contract = c.contractId ? contracts.get(c.contractId) : undefined;
    const opened = new Date(c.openedAt);
    const length = (end: number) => Math.max(0, contract ? businessTimeBetween(opened, new Date(end), contract.calendar) * 60_000 : end - c.openedAt);
    const path = model.pathOf([c.category, c.priority, c.region], c.customerId);
    const done = c.doneAt !== undefined && c.doneAt <= nowMs ? c.doneAt : undefined;
    if (done !== undefined) model.addClosed(path, c.openedAt, length(done));
    else model.addOpen(path, c.openedAt, length(nowMs));
    if (i >= total - 2 * CALIBRATION_CASES) {
      table.push({ createdAt: c.openedAt, doneAt: done, values: [c.category, c.priority, c.region], score: i >= total - CALIBRATION_CASES });
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
  return { model, calibrator, categoryCalibrators, builtAt: now, cases, contracts };
}

/** A built model received by structured clone (from the worker), with its classes restored (the model's already). */
export function reviveBuiltModel(clone: BuiltModel): BuiltModel {
  const categoryCalibrators = new Map<string, Calibrator>();
  for (const [k, c] of clone.categoryCalibrators) categoryCalibrators.set(k, Calibrator.revive(c));
  return {
    model: clone.model,
    calibrator: Calibrator.revive(clone.calibrator),
    categoryCalibrators,
    builtAt: new Date(clone.builtAt),
    cases: clone.cases,
    contracts: clone.contracts,
  };
}
