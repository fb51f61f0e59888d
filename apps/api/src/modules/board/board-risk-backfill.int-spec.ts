import { Client } from 'pg';
import { BACKFILL_AT_RISK_AT, BACKFILL_PAUSED_SINCE } from '../../../../../migrations/1764600000000-BoardRisk';
import { createTestDatabase, TestDatabase } from '../../../test/support/database';

/**
 * The BoardRisk migration's backfills on real PostgreSQL: `paused_since` exactly from the open pause,
 * and `at_risk_at` as the plan-only approximation (wall time, the promise's breakdown after the step
 * under way) that the planner's exact value replaces at the case's next re-plan.
 */
describe('BoardRisk backfill', () => {
  let db: TestDatabase;
  let owner: Client;
  let tenant: string;
  let customer: string;
  const one = async <T>(text: string, params: unknown[] = []): Promise<T> => (await owner.query(text, params)).rows[0] as T;
  const PROMISE = '2026-11-02T12:00:00.000Z';
  const breakdown = { arrivalMinutes: 60, diagnosisMinutes: 30, fixMinutes: 120, testMinutes: 15 };

  async function caseWith(input: { status?: string; promised?: string | null; required?: string | null; reached?: string[]; pausedAt?: string }) {
    const status = input.status ?? 'open';
    const promised = input.promised === undefined ? PROMISE : input.promised;
    const { id } = await one<{ id: string }>(
      `INSERT INTO cases (tenant_id, number, customer_id, category, priority, summary, status, pause_reason, opened_at, promised_at, required_at, promise_version)
       VALUES ($1, (SELECT coalesce(max(number), 0) + 1 FROM cases), $2, 'analyzer', 'normal', 'x', $3, $4, '2026-11-01T08:00:00Z', $5, $6, 1) RETURNING id`,
      [tenant, customer, status, status === 'paused' ? 'Parts' : null, promised, input.required ?? null],
    );
    if (promised) {
      await owner.query(`INSERT INTO case_promises (tenant_id, case_id, version, promised_at, breakdown) VALUES ($1, $2, 1, $3, $4)`, [
        tenant,
        id,
        promised,
        breakdown,
      ]);
    }
    for (const kind of input.reached ?? []) {
      await owner.query(`INSERT INTO case_milestones (tenant_id, case_id, kind, at, actor_kind) VALUES ($1, $2, $3, '2026-11-01T09:00:00Z', 'user')`, [
        tenant,
        id,
        kind,
      ]);
    }
    if (input.pausedAt) {
      await owner.query(`INSERT INTO case_pauses (tenant_id, case_id, started_at, ended_at, reason) VALUES ($1, $2, '2026-11-01T08:30:00Z', '2026-11-01T08:40:00Z', 'x')`, [tenant, id]);
      await owner.query(`INSERT INTO case_pauses (tenant_id, case_id, started_at, reason) VALUES ($1, $2, $3, 'Parts')`, [tenant, id, input.pausedAt]);
    }
    return id;
  }
  const risk = async (id: string) => {
    const r = await one<{ at_risk_at: Date | null; paused_since: Date | null }>('SELECT at_risk_at, paused_since FROM cases WHERE id = $1', [id]);
    return { atRiskAt: r.at_risk_at?.toISOString() ?? null, pausedSince: r.paused_since?.toISOString() ?? null };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = new Client({ connectionString: db.ownerUrl });
    await owner.connect();
    tenant = (await one<{ id: string }>(`INSERT INTO organizations (name, slug) VALUES ('risk', 'risk-backfill') RETURNING id`)).id;
    customer = (await one<{ id: string }>(`INSERT INTO customers (tenant_id, name) VALUES ($1, 'Lab') RETURNING id`, [tenant])).id;
  });
  afterAll(async () => {
    await owner.end();
    await db.drop();
  });

  it('stores the open pause’s start and the plan-only at-risk instant of each open case', async () => {
    const fresh = await caseWith({});
    const arrived = await caseWith({ reached: ['arrived'] });
    const diagnosed = await caseWith({ reached: ['arrived', 'diagnosed'] });
    const allDone = await caseWith({ reached: ['arrived', 'diagnosed', 'fixed'] });
    const needFirst = await caseWith({ required: '2026-11-02T10:00:00Z', promised: '2026-11-02T09:00:00Z' });
    const afterNeed = await caseWith({ required: '2026-11-02T10:00:00Z' });
    const noPromise = await caseWith({ promised: null });
    const fixed = await caseWith({ status: 'fixed' });
    const paused = await caseWith({ status: 'paused', pausedAt: '2026-11-01T10:00:00Z' });
    const closed = await caseWith({ status: 'cancelled' });
    // The premise: nothing is stored before the backfill.
    expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE at_risk_at IS NOT NULL OR paused_since IS NOT NULL')).n).toBe(0);

    await owner.query(BACKFILL_PAUSED_SINCE);
    await owner.query(BACKFILL_AT_RISK_AT);

    // Nothing reached: the arrival under way adds 0 (its planned end is the plan), then 30 + 120 + 15 = 165 minutes.
    expect(await risk(fresh)).toEqual({ atRiskAt: '2026-11-02T09:15:00.000Z', pausedSince: null });
    expect(await risk(arrived)).toEqual({ atRiskAt: '2026-11-02T09:45:00.000Z', pausedSince: null });
    expect(await risk(diagnosed)).toEqual({ atRiskAt: '2026-11-02T11:45:00.000Z', pausedSince: null });
    expect(await risk(allDone)).toEqual({ atRiskAt: null, pausedSince: null });
    // The earliest deadline counts (the promise at 09:00, before the need at 10:00), less 165 minutes.
    expect(await risk(needFirst)).toEqual({ atRiskAt: '2026-11-02T06:15:00.000Z', pausedSince: null });
    // No promise, or a promise after the need: at risk from the opening.
    expect(await risk(afterNeed)).toEqual({ atRiskAt: '2026-11-01T08:00:00.000Z', pausedSince: null });
    expect(await risk(noPromise)).toEqual({ atRiskAt: '2026-11-01T08:00:00.000Z', pausedSince: null });
    expect(await risk(fixed)).toEqual({ atRiskAt: null, pausedSince: null });
    expect(await risk(paused)).toEqual({ atRiskAt: '2026-11-02T09:15:00.000Z', pausedSince: '2026-11-01T10:00:00.000Z' });
    expect(await risk(closed)).toEqual({ atRiskAt: null, pausedSince: null });
  });
});
