import { RecoverySweepService } from '../src/modules/alerts';
import { createTestApp, TestApp } from './support/app';
import { expectProblem } from './support/problem';
import { count, sql } from './support/sql';

const HOUR = 3_600_000;

/**
 * Goodwill and root causes end to end: limits per role, the ladder suggestion, team budgets, the append-only
 * offer ledger with approvals (self, forged, above one's own limit, concurrent), recovery alerts to managers,
 * options instead of no, and the root-cause gate, queue, sweep and Pareto. Demo limits: dispatcher 200.00,
 * manager 500.00, admin 2,000.00 (EUR).
 */
describe('goodwill and root causes', () => {
  let t: TestApp;
  const auth: Record<string, string> = {};
  const userId: Record<string, string> = {};
  let customerId: string;

  const post = (path: string, body: unknown, who = 'dispatcher') =>
    t.http().post(`/api/v1${path}`).set('Authorization', auth[who]).send(body as object);
  const put = (path: string, body: unknown, who = 'manager') => t.http().put(`/api/v1${path}`).set('Authorization', auth[who]).send(body as object);
  const get = (path: string, who = 'dispatcher') => t.http().get(`/api/v1${path}`).set('Authorization', auth[who]);
  const offers = () => count(t.db.ownerUrl, 'goodwill_offers');
  const events = () => count(t.db.ownerUrl, 'goodwill_events');

  /** A case opened 6 h ago, promised 3 h ago and needed 4 h ago: missed by 4 h (against the need) while open. */
  async function missedCase(summary = 'Analyser down'): Promise<string> {
    const now = Date.now();
    const res = await post('/cases', {
      customerId,
      category: 'goodwill-test',
      summary,
      stressLevel: 5,
      openedAt: new Date(now - 6 * HOUR).toISOString(),
      requiredAt: new Date(now - 4 * HOUR).toISOString(),
      promisedAt: new Date(now - 3 * HOUR).toISOString(),
    });
    if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }

  async function satisfy(caseId: string, at: Date) {
    const c = (await get(`/cases/${caseId}`)).body;
    const res = await post(`/cases/${caseId}/satisfied`, { version: c.version, at: at.toISOString() });
    expect(res.status).toBe(200);
  }

  beforeAll(async () => {
    t = await createTestApp();
    for (const role of ['admin', 'manager', 'dispatcher', 'engineer', 'viewer']) {
      auth[role] = await t.login(`${role}@demo.kept.test`);
      userId[role] = (await sql<{ id: string }>(t.db.ownerUrl, `SELECT id FROM users WHERE email = $1`, [`${role}@demo.kept.test`]))[0].id;
    }
    customerId = (await post('/customers', { name: 'Praxis am Markt' })).body.id;
  });
  afterAll(() => t.close());

  it('serves default settings and lets only managers change them (unknown currency refused, nothing changed)', async () => {
    const s = await get('/goodwill/settings');
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ currency: 'EUR', limits: { dispatcher: 200_00, manager: 500_00, admin: 2_000_00 }, ladder: [100_00, 150_00, 200_00, 500_00] });
    const { version: _v, ...settings } = s.body;
    expectProblem(await put('/goodwill/settings', settings, 'dispatcher'), 403, 'FORBIDDEN');
    expectProblem(await put('/goodwill/settings', { ...settings, currency: 'XYZ' }), 400, 'VALIDATION_FAILED');
    expectProblem(await put('/goodwill/settings', { ...settings, ladder: [200_00, 100_00] }), 400, 'VALIDATION_FAILED');
    expectProblem(await put('/goodwill/settings', { ...settings, limits: { ...settings.limits, dispatcher: -1 } }), 400, 'VALIDATION_FAILED');
    // Absurd values, unknown currencies and kinds: each refused with the field it names, nothing stored.
    const kind = settings.kinds[1];
    const bad: [string, object, number, string][] = [
      ['limits.admin', { limits: { ...settings.limits, admin: 10_000_000_01 } }, 400, 'VALIDATION_FAILED'],
      ['limits.engineer', { limits: { ...settings.limits, engineer: 12.5 } }, 400, 'VALIDATION_FAILED'],
      ['ladder.0', { ladder: [0, 100_00] }, 400, 'VALIDATION_FAILED'],
      ['kinds.1.valueMinor', { kinds: [settings.kinds[0], { ...kind, valueMinor: -30_00 }] }, 400, 'VALIDATION_FAILED'],
      ['kinds.1.currency', { kinds: [settings.kinds[0], { ...kind, currency: 'ABC' }] }, 400, 'VALIDATION_FAILED'],
      ['kinds', { kinds: [kind, kind] }, 400, 'VALIDATION_FAILED'],
      ['kinds.1.currency', { kinds: [settings.kinds[0], { ...kind, currency: 'USD' }] }, 422, 'GOODWILL_INVALID_SETTINGS'],
      ['options', { options: [] }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [path, patch, status, code] of bad) {
      const res = await put('/goodwill/settings', { ...settings, ...patch });
      expectProblem(res, status, code);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect(await count(t.db.ownerUrl, 'goodwill_settings')).toBe(0);
    const saved = await put('/goodwill/settings', settings);
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(1);
    expectProblem(await put('/goodwill/settings', settings).set('If-Match', 'W/"0"'), 412, 'GOODWILL_VERSION_CONFLICT');
  });

  it('gives within the limit, asks approval above it, and alerts the managers', async () => {
    const caseId = await missedCase();
    const view = await get(`/cases/${caseId}/goodwill`);
    expect(view.status).toBe(200);
    // Missed by 4 h (240 min: not a "long" miss) with stress 5: the ladder starts one step up, at 150.00.
    expect(view.body.suggestion).toMatchObject({ valueMinor: 150_00, needsApproval: false, currency: 'EUR' });
    expect(view.body.myLimitMinor).toBe(200_00);

    const first = await post(`/cases/${caseId}/goodwill/offers`, { kind: 'credit', valueMinor: 150_00, reason: 'Need missed by 4 h' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ state: 'given', valueMinor: 150_00, currency: 'EUR', gap: { target: 'required', minutes: expect.any(Number) }, stressLevel: 5 });
    expect(first.body.gap.minutes).toBeGreaterThanOrEqual(240);
    expect(first.body.events).toEqual([expect.objectContaining({ event: 'given', by: userId.dispatcher })]);

    // 150 + 100 > 200: the dispatcher's limit on this case is spent.
    const second = await post(`/cases/${caseId}/goodwill/offers`, { kind: 'gift', quantity: 1, reason: 'Small gift' });
    expect(second.body).toMatchObject({ state: 'given', valueMinor: 30_00 });
    const third = await post(`/cases/${caseId}/goodwill/offers`, { kind: 'credit', valueMinor: 100_00, reason: 'Raise' });
    expect(third.status).toBe(201);
    expect(third.body).toMatchObject({ state: 'approval_requested', needsApprovalBecause: 'above_limit' });

    const alerts = await sql<{ kind: string; state: string; recipient_roles: string[] }>(
      t.db.ownerUrl,
      `SELECT kind, state, recipient_roles FROM alerts WHERE case_id = $1 AND kind = 'goodwill_approval'`,
      [caseId],
    );
    expect(alerts).toEqual([{ kind: 'goodwill_approval', state: 'fired', recipient_roles: ['manager', 'admin'] }]);
    // The managers' e-mails are queued as deliveries of that alert.
    expect(await count(t.db.ownerUrl, 'deliveries d JOIN alerts a ON a.id = d.alert_id', `a.case_id = $1 AND d.channel = 'email'`, [caseId])).toBeGreaterThan(0);
    const inbox = await get('/alerts', 'manager');
    expect(inbox.status).toBe(200);
    expect(JSON.stringify(inbox.body)).toContain('goodwill_approval');

    const pending = await get('/goodwill/approvals', 'manager');
    expect(pending.body.items.map((o: { id: string }) => o.id)).toContain(third.body.id);

    const approved = await post(`/goodwill/offers/${third.body.id}/approve`, { note: 'OK' }, 'manager');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'given', decidedBy: userId.manager });
    expect(approved.body.events.map((e: { event: string }) => e.event)).toEqual(['approval_requested', 'approved']);
    const accepted = await post(`/goodwill/offers/${third.body.id}/response`, { response: 'accepted' });
    expect(accepted.body.customerResponse).toBe('accepted');
    expectProblem(await post(`/goodwill/offers/${third.body.id}/response`, { response: 'declined' }), 409, 'GOODWILL_ALREADY_DECIDED');
    expect((await get(`/cases/${caseId}/goodwill`)).body.givenMinor).toBe(280_00);
  });

  it('refuses self approval, approval above one\'s own limit, forged ids and non-staff, changing nothing', async () => {
    const caseId = await missedCase();
    const big = await post(`/cases/${caseId}/goodwill/offers`, { kind: 'credit', valueMinor: 800_00, reason: 'Lost a day of samples' });
    expect(big.body.state).toBe('approval_requested');
    const before = [await offers(), await events()];

    expectProblem(await post(`/goodwill/offers/${big.body.id}/approve`, {}, 'dispatcher'), 403, 'GOODWILL_SELF_APPROVAL');
    expectProblem(await post(`/goodwill/offers/${big.body.id}/approve`, {}, 'manager'), 403, 'GOODWILL_ABOVE_OWN_LIMIT');
    expectProblem(await post(`/goodwill/offers/${big.body.id}/approve`, {}, 'engineer'), 403, 'FORBIDDEN');
    expectProblem(await post(`/goodwill/offers/00000000-0000-4000-8000-000000000000/approve`, {}, 'admin'), 404);
    expectProblem(await post(`/goodwill/offers/not-a-uuid/approve`, {}, 'admin'), 400);
    // Editing an append-only entry.
    expectProblem(await t.http().patch(`/api/v1/goodwill/offers/${big.body.id}`).set('Authorization', auth.dispatcher).send({ valueMinor: 1 }), 409, 'GOODWILL_APPEND_ONLY');
    expectProblem(await t.http().delete(`/api/v1/goodwill/offers/${big.body.id}`).set('Authorization', auth.dispatcher), 409, 'GOODWILL_APPEND_ONLY');
    expect([await offers(), await events()]).toEqual(before);
    expect((await sql<{ state: string }>(t.db.ownerUrl, `SELECT state FROM goodwill_offers WHERE id = $1`, [big.body.id]))[0].state).toBe('approval_requested');
    // The database refuses a change to the facts even behind the API's back.
    await expect(sql(t.db.ownerUrl, `UPDATE goodwill_offers SET value_minor = 1 WHERE id = $1`, [big.body.id])).rejects.toThrow(/append-only/);

    const ok = await post(`/goodwill/offers/${big.body.id}/approve`, {}, 'admin');
    expect(ok.body).toMatchObject({ state: 'given', decidedBy: userId.admin });
  });

  it('rejects bad offers with problem+json and stores nothing', async () => {
    const caseId = await missedCase();
    const before = await offers();
    const bad: [object, number, string][] = [
      [{ kind: 'credit', valueMinor: -100, reason: 'x' }, 400, 'VALIDATION_FAILED'],
      [{ kind: 'credit', valueMinor: 1e13, reason: 'x' }, 400, 'VALIDATION_FAILED'],
      [{ kind: 'credit', valueMinor: 10.5, reason: 'x' }, 400, 'VALIDATION_FAILED'],
      [{ kind: 'credit', valueMinor: 100, currency: 'XYZ', reason: 'x' }, 400, 'VALIDATION_FAILED'],
      [{ kind: 'credit', valueMinor: 100, currency: 'eur', reason: 'x' }, 400, 'VALIDATION_FAILED'],
      [{ kind: 'spaceship', valueMinor: 100, reason: 'x' }, 422, 'GOODWILL_UNKNOWN_KIND'],
      [{ kind: 'credit', reason: 'x' }, 422, 'GOODWILL_INVALID_OFFER'],
      [{ kind: 'loaner', valueMinor: 5, reason: 'x' }, 422, 'GOODWILL_INVALID_OFFER'],
      [{ kind: 'credit', valueMinor: 100, reason: '' }, 400, 'VALIDATION_FAILED'],
      [{ kind: 'credit', valueMinor: 100, reason: 'x', extra: 1 }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of bad) expectProblem(await post(`/cases/${caseId}/goodwill/offers`, body), status, code);
    expectProblem(await post(`/cases/${caseId}/goodwill/offers`, { kind: 'credit', valueMinor: 100, reason: 'x' }, 'viewer'), 403, 'FORBIDDEN');
    expectProblem(await post(`/cases/00000000-0000-4000-8000-000000000000/goodwill/offers`, { kind: 'credit', valueMinor: 100, reason: 'x' }), 404);
    expect(await offers()).toBe(before);
  });

  it('concurrent approvals of one offer: exactly one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const caseId = await missedCase();
      const offer = await post(`/cases/${caseId}/goodwill/offers`, { kind: 'credit', valueMinor: 300_00, reason: 'Race' });
      expect(offer.body.state).toBe('approval_requested');
      const results = await Promise.all([
        post(`/goodwill/offers/${offer.body.id}/approve`, {}, 'manager'),
        post(`/goodwill/offers/${offer.body.id}/approve`, {}, 'admin'),
        post(`/goodwill/offers/${offer.body.id}/deny`, {}, 'admin'),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) expectProblem(r, 409, 'GOODWILL_ALREADY_DECIDED');
      const decisions = await count(t.db.ownerUrl, 'goodwill_events', `offer_id = $1 AND event IN ('approved', 'denied')`, [offer.body.id]);
      expect(decisions).toBe(1);
    }
  });

  it('spends a team budget per month and asks approval once it is used up', async () => {
    await sql(t.db.ownerUrl, `UPDATE users SET team = 'North' WHERE email = 'dispatcher@demo.kept.test'`);
    const month = new Date().toISOString().slice(0, 7);
    expectProblem(await put('/goodwill/budgets', { team: 'North', month, amountMinor: -5, currency: 'EUR' }), 400, 'VALIDATION_FAILED');
    expectProblem(await put('/goodwill/budgets', { team: 'North', month: '2026-13', amountMinor: 5, currency: 'EUR' }), 400, 'VALIDATION_FAILED');
    expectProblem(await put('/goodwill/budgets', { team: 'North', month, amountMinor: 5, currency: 'EUR' }, 'dispatcher'), 403, 'FORBIDDEN');
    expectProblem(await put('/goodwill/budgets', { team: 'North', month, amountMinor: 1e13, currency: 'EUR' }), 400, 'VALIDATION_FAILED');
    expectProblem(await put('/goodwill/budgets', { team: 'North', month, amountMinor: 5, currency: 'XYZ' }), 400, 'VALIDATION_FAILED');
    expectProblem(await put('/goodwill/budgets', { team: ' ', month, amountMinor: 5, currency: 'EUR' }), 400, 'VALIDATION_FAILED');
    expect(await count(t.db.ownerUrl, 'goodwill_budgets')).toBe(0);
    const set = await put('/goodwill/budgets', { team: 'North', month, amountMinor: 120_00, currency: 'EUR' });
    expect(set.status).toBe(200);
    expect(set.body.items).toEqual([{ team: 'North', month, amountMinor: 120_00, currency: 'EUR', spentMinor: 0, leftMinor: 120_00 }]);

    const a = await post(`/cases/${await missedCase()}/goodwill/offers`, { kind: 'credit', valueMinor: 100_00, reason: 'Within budget' });
    expect(a.body).toMatchObject({ state: 'given', team: 'North' });
    const b = await post(`/cases/${await missedCase()}/goodwill/offers`, { kind: 'credit', valueMinor: 50_00, reason: 'Budget spent' });
    expect(b.body).toMatchObject({ state: 'approval_requested', needsApprovalBecause: 'above_budget' });
    const left = await get(`/goodwill/budgets?month=${month}`);
    expect(left.body.items[0]).toMatchObject({ spentMinor: 100_00, leftMinor: 20_00 });
  });

  it('records options offered instead of no and shows which are taken', async () => {
    const caseId = await missedCase();
    expectProblem(await post(`/cases/${caseId}/options`, { offered: ['Loaner'], chosen: 'Remote fix' }), 400, 'VALIDATION_FAILED');
    expectProblem(await post(`/cases/${caseId}/options`, { offered: [] }), 400, 'VALIDATION_FAILED');
    const rec = await post(`/cases/${caseId}/options`, { offered: ['Loaner', 'Remote fix', 'Call back on Monday'], chosen: 'Loaner' });
    expect(rec.status).toBe(201);
    expect((await get(`/cases/${caseId}/goodwill`)).body.options).toHaveLength(1);
    const stats = await get('/goodwill/analytics', 'manager');
    expect(stats.body.options).toEqual(expect.arrayContaining([{ option: 'Loaner', offered: 1, chosen: 1, closed: 0, kept: 0 }]));
    expect(stats.body.csat.available).toBe(false);
    expect(stats.body.byStress).toEqual(expect.arrayContaining([expect.objectContaining({ stressLevel: 5 })]));
  });

  it('compares CSAT from the status page survey after goodwill with missed and kept cases without it', async () => {
    /** The customer answers the survey on her status page once the case is fixed and she confirmed it. */
    async function surveyed(caseId: string, csat: number) {
      const c = (await get(`/cases/${caseId}`)).body;
      expect((await post(`/cases/${caseId}/fixed`, { version: c.version })).status).toBe(200);
      const link = await post(`/cases/${caseId}/status-links`, {});
      const token = (link.body.url as string).split('/s/')[1];
      await sql(t.db.ownerUrl, `DELETE FROM throttle_counters`);
      expect((await t.http().post(`/api/v1/public/status/${token}/satisfied`).send({})).status).toBe(200);
      expect((await t.http().post(`/api/v1/public/status/${token}/survey`).send({ csat, stress: 4 })).status).toBe(200);
    }
    // Until a customer answers, the chart says so instead of showing zeros.
    const none = await get('/goodwill/analytics', 'manager');
    expect(none.body.csat).toEqual({ available: false, reason: expect.stringContaining('survey') });

    // The budget test above spent North's budget: give it room so a small offer is given at once.
    expect((await put('/goodwill/budgets', { team: 'North', month: new Date().toISOString().slice(0, 7), amountMinor: 10_000_00, currency: 'EUR' })).status).toBe(200);
    const withGoodwill = await missedCase('Goodwill given');
    expect((await post(`/cases/${withGoodwill}/goodwill/offers`, { kind: 'credit', valueMinor: 50_00, reason: 'Sorry' })).body.state).toBe('given');
    await surveyed(withGoodwill, 5);
    const pending = await missedCase('Goodwill only asked for');
    expect((await post(`/cases/${pending}/goodwill/offers`, { kind: 'credit', valueMinor: 300_00, reason: 'Too much' })).body.state).toBe('approval_requested');
    await surveyed(pending, 1);
    const missed = await missedCase('Missed, nothing given');
    await surveyed(missed, 2);
    const now = Date.now();
    const kept = await post('/cases', {
      customerId,
      category: 'goodwill-test',
      summary: 'Kept',
      openedAt: new Date(now - HOUR).toISOString(),
      requiredAt: new Date(now + 4 * HOUR).toISOString(),
      promisedAt: new Date(now + 3 * HOUR).toISOString(),
    });
    await surveyed(kept.body.id, 4);

    const stats = await get('/goodwill/analytics', 'manager');
    // An offer still waiting for approval is not goodwill given: that case counts as missed without it (2 and 1).
    expect(stats.body.csat).toEqual({
      available: true,
      groups: [
        { group: 'goodwill', responses: 1, average: 5 },
        { group: 'missed_without', responses: 2, average: 1.5 },
        { group: 'kept_without', responses: 1, average: 4 },
      ],
    });
  });

  describe('root causes', () => {
    const rootCause = () => ({
      category: 'parts',
      whys: ['The part was not in the van', 'The van stock list is not updated', 'Nobody owns the list'],
      correctiveAction: 'Weekly van stock check',
      ownerId: userId.manager,
      dueAt: new Date(Date.now() + 7 * 24 * HOUR).toISOString(),
    });

    it('queues a case satisfied late until its root cause is recorded; refuses one for a kept case', async () => {
      const late = await missedCase('Late one');
      await satisfy(late, new Date(Date.now() - HOUR));
      const queue = await get('/root-causes/queue', 'manager');
      // The demo history has late cases of its own: they wait in the queue too.
      const mine = queue.body.items.find((i: { caseId: string }) => i.caseId === late);
      expect(mine).toMatchObject({ reference: expect.stringMatching(/^K-\d+$/), summary: 'Late one' });
      expect(mine.minutesLate).toBeGreaterThanOrEqual(179);
      const queued = queue.body.items.length;

      // A kept case (satisfied before promise and need) has no miss to explain.
      const now = Date.now();
      const kept = await post('/cases', {
        customerId,
        category: 'goodwill-test',
        summary: 'Kept',
        openedAt: new Date(now - 3 * HOUR).toISOString(),
        requiredAt: new Date(now + 4 * HOUR).toISOString(),
        promisedAt: new Date(now + 3 * HOUR).toISOString(),
      });
      await satisfy(kept.body.id, new Date(now - HOUR));
      const before = await count(t.db.ownerUrl, 'root_causes');
      expectProblem(await post(`/cases/${kept.body.id}/root-cause`, rootCause()), 422, 'ROOT_CAUSE_CASE_KEPT');
      expectProblem(await post(`/cases/${late}/root-cause`, { ...rootCause(), category: 'aliens' }), 400, 'VALIDATION_FAILED');
      expectProblem(await post(`/cases/${late}/root-cause`, { ...rootCause(), whys: ['1', '2', '3', '4', '5', '6'] }), 400, 'VALIDATION_FAILED');
      expectProblem(await post(`/cases/${late}/root-cause`, { ...rootCause(), ownerId: '00000000-0000-4000-8000-000000000000' }), 422, 'ROOT_CAUSE_INVALID');
      expect(await count(t.db.ownerUrl, 'root_causes')).toBe(before);

      // The scheduler's sweep alerts the managers once about the queued case.
      const sweep = t.app.get(RecoverySweepService, { strict: false });
      expect(await sweep.sweep()).toBeGreaterThanOrEqual(1);
      expect(await count(t.db.ownerUrl, 'alerts', `case_id = $1 AND kind = 'root_cause'`, [late])).toBe(1);
      await sweep.sweep();
      expect(await count(t.db.ownerUrl, 'alerts', `case_id = $1 AND kind = 'root_cause'`, [late])).toBe(1);

      const rec = await post(`/cases/${late}/root-cause`, rootCause());
      expect(rec.status).toBe(201);
      expect(rec.body).toMatchObject({ category: 'parts', ownerId: userId.manager, overdue: false, doneAt: null });
      expect(rec.body.minutesLost).toBeGreaterThanOrEqual(179);
      expectProblem(await post(`/cases/${late}/root-cause`, rootCause()), 409, 'ROOT_CAUSE_EXISTS');
      expectProblem(await t.http().patch(`/api/v1/root-causes/${rec.body.id}`).set('Authorization', auth.manager).send({}), 409, 'ROOT_CAUSE_APPEND_ONLY');
      expect((await get('/root-causes/queue', 'manager')).body.items.map((i: { caseId: string }) => i.caseId)).not.toContain(late);

      const analytics = await get('/root-causes/analytics', 'manager');
      expect(analytics.body.pareto[0]).toMatchObject({ category: 'parts', count: 1, cumulativeShare: 1 });
      expect(analytics.body.pareto[0].hoursLost).toBeGreaterThanOrEqual(2.9);
      expect(analytics.body).toMatchObject({ openActions: 1, overdueActions: 0, queued: queued - 1 });

      const done = await post(`/root-causes/${rec.body.id}/done`, {}, 'manager');
      expect(done.body.doneAt).toEqual(expect.any(String));
      expectProblem(await post(`/root-causes/${rec.body.id}/done`, {}, 'manager'), 409, 'ROOT_CAUSE_APPEND_ONLY');
    });

    it('alerts once on an overdue corrective action', async () => {
      const late = await missedCase('Overdue action');
      await satisfy(late, new Date(Date.now() - HOUR));
      const rec = await post(`/cases/${late}/root-cause`, { ...rootCause(), category: 'travel', dueAt: new Date(Date.now() - 60_000).toISOString() });
      expect(rec.body.overdue).toBe(true);
      const sweep = t.app.get(RecoverySweepService, { strict: false });
      await sweep.sweep();
      await sweep.sweep();
      expect(await count(t.db.ownerUrl, 'alerts', `case_id = $1 AND kind = 'action_overdue'`, [late])).toBe(1);
      expect((await get('/root-causes?open=true', 'manager')).body.items.map((r: { id: string }) => r.id)).toContain(rec.body.id);
    });
  });
});
