import { expectProblem } from './support/problem';
import { createTestApp, TestApp } from './support/app';
import { forecastReady } from './support/forecast';
import { sql } from './support/sql';

interface BoardItem {
  id: string;
  status: string;
  category: string;
  customer: { id: string; name: string };
  promisedAt: string | null;
  requiredAt: string | null;
  businessMinutesToPromise: number | null;
  businessMinutesToNeed: number | null;
  atRisk: boolean;
  riskReasons: string[];
  riskClass: string;
  keepProbability: number | null;
  assignee: { id: string; name: string; team: string | null } | null;
}

const HOUR = 3_600_000;

describe('board and analytics', () => {
  let t: TestApp;
  const auth: Record<string, string> = {};
  const get = (url: string, role = 'dispatcher') => t.http().get(`/api/v1${url}`).set('Authorization', auth[role]);
  const post = (url: string, body: object, role = 'dispatcher') =>
    t.http().post(`/api/v1${url}`).set('Authorization', auth[role]).send(body);
  let customerId: string;

  beforeAll(async () => {
    t = await createTestApp();
    for (const role of ['admin', 'manager', 'dispatcher', 'engineer', 'viewer']) auth[role] = await t.login(`${role}@demo.kept.test`);
    customerId = (await post('/customers', { name: 'Board test customer' })).body.id;
    // The board's keep-probabilities come from the forecast model, built off the request path.
    await forecastReady(t);
  });
  afterAll(() => t.close());

  describe('GET /board', () => {
    it('lists every open, paused and fixed case, most urgent first, with business time left', async () => {
      const res = await get('/board');
      expect(res.status).toBe(200);
      const items = res.body.items as BoardItem[];
      const [{ n }] = await sql<{ n: number }>(t.db.ownerUrl, `SELECT count(*)::int AS n FROM cases WHERE status IN ('open','paused','fixed')`);
      expect(n).toBeGreaterThan(0);
      expect(items).toHaveLength(n);
      for (const item of items) expect(['open', 'paused', 'fixed']).toContain(item.status);
      // Most urgent first: by class (missed, at risk, on track, fixed), exact counts beside.
      const ranks = items.map((i) => ['missed', 'at_risk', 'on_track', 'fixed'].indexOf(i.riskClass));
      expect(ranks.every((r) => r >= 0)).toBe(true);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      expect(res.body.counts.total).toBe(n);
      expect(res.body.nextCursor).toBeNull();
      expect(Date.parse(res.body.now)).not.toBeNaN();
      expect(res.body.facets.categories.length).toBeGreaterThan(0);
      expect(res.body.facets.engineers).toEqual([expect.objectContaining({ name: 'Erik Engineer' })]);
    });

    it('measures the time left to the promise and flags a promise that lands after the need', async () => {
      const now = Date.now();
      const created = await post('/cases', {
        customerId,
        category: 'Board probe',
        summary: 'Promise after the need',
        requiredAt: new Date(now + 2 * HOUR).toISOString(),
        promisedAt: new Date(now + 5 * HOUR).toISOString(),
        stressLevel: 5,
      });
      expect(created.status).toBe(201);
      const res = await get(`/board?category=${encodeURIComponent('Board probe')}`);
      expect(res.status).toBe(200);
      const [item] = res.body.items as BoardItem[];
      expect(res.body.items).toHaveLength(1);
      expect(item.id).toBe(created.body.id);
      // No contract and no site: 24/7 UTC, so business time equals wall time.
      expect(item.businessMinutesToPromise).toBeGreaterThan(5 * 60 - 5);
      expect(item.businessMinutesToPromise).toBeLessThanOrEqual(5 * 60);
      expect(item.businessMinutesToNeed).toBeGreaterThan(2 * 60 - 5);
      expect(item.atRisk).toBe(true);
      expect(item.riskReasons).toContain('promise_after_need');
      // The demo history gives the forecast something to say about a fresh 5-hour promise.
      expect(item.keepProbability).toEqual(expect.any(Number));
      expect(item.keepProbability).toBeGreaterThanOrEqual(0);
      expect(item.keepProbability).toBeLessThanOrEqual(1);

      const calm = await get(`/board?category=${encodeURIComponent('Board probe')}&atRisk=false`);
      expect(calm.body.items).toEqual([]);
    });

    it('gives a longer promise at least the keep-probability of a shorter one, and an overdue one none', async () => {
      const now = Date.now();
      const make = async (summary: string, promisedAt: string, openedAt?: string) =>
        (await post('/cases', { customerId, category: 'Keep probe', summary, promisedAt, ...(openedAt ? { openedAt } : {}) })).body.id as string;
      const short = await make('Short promise', new Date(now + HOUR).toISOString());
      const long = await make('Long promise', new Date(now + 30 * 24 * HOUR).toISOString());
      const overdue = await make('Overdue promise', new Date(now - HOUR).toISOString(), new Date(now - 3 * HOUR).toISOString());
      const items = (await get('/board?category=Keep%20probe')).body.items as (BoardItem & { keepProbability: number | null })[];
      const p = (id: string) => items.find((i) => i.id === id)!.keepProbability;
      expect(p(short)).toEqual(expect.any(Number));
      expect(p(long)!).toBeGreaterThanOrEqual(p(short)!);
      expect(p(overdue)).toBe(0);
    });

    it('freezes the time left of a paused case at the start of its pause', async () => {
      const now = Date.now();
      const created = await post('/cases', {
        customerId,
        category: 'Paused probe',
        summary: 'Waiting for lab access',
        promisedAt: new Date(now + 3 * HOUR).toISOString(),
      });
      const paused = await t
        .http()
        .post(`/api/v1/cases/${created.body.id}/pause`)
        .set('Authorization', auth.dispatcher)
        .set('If-Match', `W/"${created.body.version}"`)
        .send({ reason: 'Lab closed for cleaning' });
      expect(paused.status).toBe(200);
      const first = ((await get('/board?category=Paused%20probe')).body.items as BoardItem[])[0];
      expect(first.status).toBe('paused');
      expect(first.businessMinutesToPromise).toBeGreaterThan(3 * 60 - 5);
      expect(first.businessMinutesToPromise).toBeLessThanOrEqual(3 * 60);
      // Had the pause begun an hour earlier, an hour more would be left: the clock stopped then, not now.
      await sql(t.db.ownerUrl, `UPDATE case_pauses SET started_at = started_at - interval '1 hour' WHERE case_id = $1`, [created.body.id]);
      await sql(t.db.ownerUrl, `UPDATE cases SET opened_at = opened_at - interval '2 hours' WHERE id = $1`, [created.body.id]);
      const again = ((await get('/board?category=Paused%20probe')).body.items as BoardItem[])[0];
      expect(again.businessMinutesToPromise).toBeGreaterThan(4 * 60 - 5);
      expect(again.businessMinutesToPromise).toBeLessThanOrEqual(4 * 60);
      expect(again.riskReasons).not.toContain('promise_overdue');
    });

    it('reads the assignee from the case (cases.assignee_id) and filters by engineer', async () => {
      const [engineer] = (await get('/board/engineers')).body as { id: string; name: string; openCases: number }[];
      expect(engineer.name).toBe('Erik Engineer');
      const before = engineer.openCases;
      const created = await post('/cases', { customerId, category: 'Assigned probe', summary: 'Needs Erik', assigneeId: engineer.id });
      expect(created.status).toBe(201);

      const res = await get(`/board?engineerId=${engineer.id}`);
      expect(res.status).toBe(200);
      const ids = (res.body.items as BoardItem[]).map((i) => i.id);
      expect(ids).toContain(created.body.id);
      for (const item of res.body.items as BoardItem[]) expect(item.assignee).toEqual({ id: engineer.id, name: engineer.name, team: 'Field team North' });
      const after = (await get('/board/engineers')).body[0];
      expect(after.openCases).toBe(before + 1);
    });

    it('filters by status and customer', async () => {
      const res = await get(`/board?status=paused`);
      expect(res.status).toBe(200);
      for (const item of res.body.items as BoardItem[]) expect(item.status).toBe('paused');
      const mine = await get(`/board?customerId=${customerId}`);
      for (const item of mine.body.items as BoardItem[]) expect(item.customer.id).toBe(customerId);
      expect(mine.body.items.length).toBeGreaterThanOrEqual(2);
    });

    it('answers a bad filter with a validation problem and an anonymous caller with 401', async () => {
      expectProblem(await get('/board?atRisk=maybe'), 400);
      expectProblem(await get('/board?customerId=nope'), 400);
      expectProblem(await get('/board?sort=x'), 400);
      expectProblem(await t.http().get('/api/v1/board'), 401);
    });

    it('lets a viewer read the board but not the engineers', async () => {
      expect((await get('/board', 'viewer')).status).toBe(200);
      expectProblem(await get('/board/engineers', 'viewer'), 403);
    });
  });

  describe('GET /analytics/summary', () => {
    it('aggregates the satisfied cases of the period: keep-rate, gaps and breakdowns', async () => {
      const res = await get('/analytics/summary');
      expect(res.status).toBe(200);
      const body = res.body;
      const [expected] = await sql<{ closed: number; kept: number; missed: number }>(
        t.db.ownerUrl,
        `SELECT count(*)::int AS closed,
                count(*) FILTER (WHERE promised_at IS NOT NULL AND satisfied_at <= promised_at)::int AS kept,
                count(*) FILTER (WHERE promised_at IS NOT NULL AND satisfied_at > promised_at)::int AS missed
           FROM cases WHERE status = 'satisfied' AND satisfied_at >= $1 AND satisfied_at < $2`,
        [body.from, body.to],
      );
      expect(expected.closed).toBeGreaterThan(0);
      expect(body.totals).toEqual(expect.objectContaining(expected));
      expect(body.targetKeepRate).toBe(0.9); // the demo organization's target
      expect(body.totals.keepRate).toBeCloseTo(expected.kept / (expected.kept + expected.missed));
      const weekly = body.keepRateByWeek as { kept: number; missed: number }[];
      expect(weekly.reduce((s, w) => s + w.kept, 0)).toBe(expected.kept);
      expect(weekly.reduce((s, w) => s + w.missed, 0)).toBe(expected.missed);
      expect(body.satisfiedMinusPromised).toHaveLength(12);
      expect(body.satisfiedMinusPromised.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(
        expected.kept + expected.missed,
      );
      const late = body.satisfiedMinusPromised.filter((b: { fromHours: number }) => b.fromHours >= 0);
      expect(late.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(expected.missed);
      expect(body.byCategory.reduce((s: number, r: { closed: number }) => s + r.closed, 0)).toBe(expected.closed);
      expect(body.byCustomer.reduce((s: number, r: { closed: number }) => s + r.closed, 0)).toBe(expected.closed);
      expect(body.byEngineer.reduce((s: number, r: { closed: number }) => s + r.closed, 0)).toBe(expected.closed);
      // The demo promises carry (synthetic) keep-probabilities, so the calibration chart is not empty.
      const bins = body.calibration as { promises: number; kept: number }[];
      expect(bins).toHaveLength(6);
      const decided = bins.reduce((s, b) => s + b.promises, 0);
      expect(decided).toBeGreaterThanOrEqual(expected.kept + expected.missed);
      expect(bins.reduce((s, b) => s + b.kept, 0)).toBe(expected.kept);
    });

    it('is empty for a period without closed cases, and rejects a bad range', async () => {
      const res = await get('/analytics/summary?from=2001-01-01T00:00:00Z&to=2001-02-01T00:00:00Z');
      expect(res.status).toBe(200);
      expect(res.body.totals).toEqual(expect.objectContaining({ closed: 0, keepRate: null }));
      expect(res.body.keepRateByWeek).toEqual([]);
      expectProblem(await get('/analytics/summary?from=yesterday'), 400);
    });
  });

  describe('calibration: promised keep-probability against the observed keep-rate', () => {
    const iso = (offsetHours: number) => new Date(Date.now() + offsetHours * HOUR).toISOString();
    const CATEGORY = 'Calibration probe';
    const withVersion = (url: string, body: object, version: number) =>
      t.http().post(`/api/v1${url}`).set('Authorization', auth.dispatcher).set('If-Match', `W/"${version}"`).send(body);
    const create = async (body: object) => {
      const res = await post('/cases', { customerId, category: CATEGORY, summary: 'Calibration case', openedAt: iso(-48), ...body });
      expect(res.status).toBe(201);
      return res.body as { id: string; version: number };
    };
    const satisfy = async (c: { id: string; version: number }, at: string) => {
      const res = await withVersion(`/cases/${c.id}/satisfied`, { at }, c.version);
      expect(res.status).toBe(200);
    };

    /**
     * Appends a promise version (same time) carrying `keep`, as the owner behind the API's back: the
     * server computes every keep-probability itself, so only this way can the bins be filled exactly.
     */
    const withKeep = async <C extends { id: string; version: number }>(c: C, keep: number | null): Promise<C> => {
      await sql(
        t.db.ownerUrl,
        `INSERT INTO case_promises (tenant_id, case_id, version, promised_at, reason, keep_probability)
         SELECT tenant_id, id, promise_version + 1, promised_at, 'Calibration fixture', $2 FROM cases WHERE id = $1`,
        [c.id, keep],
      );
      await sql(t.db.ownerUrl, `UPDATE cases SET promise_version = promise_version + 1 WHERE id = $1`, [c.id]);
      return c;
    };

    it('stores the server’s keep-probability with the first promise and a re-promise (the board’s and the form’s figure)', async () => {
      const c = await create({ openedAt: iso(-2), promisedAt: iso(5) });
      const first = (await get(`/cases/${c.id}`)).body.promises[0].keepProbability as number;
      expect(first).toEqual(expect.any(Number));
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThanOrEqual(1);
      // The re-promise form asks the same server function for a typed time.
      const later = iso(30);
      const asked = await withVersion(`/cases/${c.id}/keep-probability`, { promisedAt: later }, c.version);
      expect(asked.status).toBe(200);
      const repromised = await withVersion(`/cases/${c.id}/promise`, { promisedAt: later, reason: 'Part on backorder' }, c.version);
      expect(repromised.status).toBe(200);
      const second = repromised.body.promises[1].keepProbability as number;
      expect(second).toBeCloseTo(asked.body.keepProbability, 2);
      expect(second).toBeGreaterThanOrEqual(first);
      const board = (await get(`/board?category=${encodeURIComponent(CATEGORY)}`)).body.items as BoardItem[];
      expect(board.find((i) => i.id === c.id)?.keepProbability).toBeCloseTo(second, 1);
      const rows = await sql<{ version: number; keep_probability: number }>(
        t.db.ownerUrl,
        `SELECT version, keep_probability FROM case_promises WHERE case_id = $1 ORDER BY version`,
        [c.id],
      );
      expect(rows).toEqual([
        { version: 1, keep_probability: first },
        { version: 2, keep_probability: second },
      ]);
      // A promise that has already passed is stored as missed: 0.
      const passed = await create({ promisedAt: iso(-20) });
      expect((await get(`/cases/${passed.id}`)).body.promises[0].keepProbability).toBe(0);
      await withVersion(`/cases/${passed.id}/cancel`, {}, passed.version);
      await withVersion(`/cases/${c.id}/cancel`, {}, repromised.body.version);
    });

    it('rejects a client-sent keep-probability with a validation problem (400) and changes nothing', async () => {
      const before = await sql<{ n: number }>(t.db.ownerUrl, `SELECT count(*)::int AS n FROM cases`);
      for (const keepProbability of [0.5, 1.2, '0.5']) {
        const res = await post('/cases', { customerId, category: 'Calibration reject', summary: 'Bad', promisedAt: iso(5), keepProbability });
        expectProblem(res, 400, 'VALIDATION_FAILED');
      }
      expect(await sql<{ n: number }>(t.db.ownerUrl, `SELECT count(*)::int AS n FROM cases`)).toEqual(before);

      const c = await post('/cases', { customerId, category: 'Calibration reject', summary: 'Fine', promisedAt: iso(5) });
      expect(c.status).toBe(201);
      const bad = await withVersion(`/cases/${c.body.id}/promise`, { promisedAt: iso(8), reason: 'Too sure', keepProbability: 0.99 }, c.body.version);
      expectProblem(bad, 400, 'VALIDATION_FAILED');
      const detail = (await get(`/cases/${c.body.id}`)).body;
      expect(detail.promiseVersion).toBe(1);
      expect(detail.version).toBe(c.body.version);
      expect(detail.promises).toHaveLength(1);
      expectProblem(await withVersion(`/cases/${c.body.id}/keep-probability`, { promisedAt: 'soon' }, c.body.version), 400);
      expectProblem(await t.http().post(`/api/v1/cases/${c.body.id}/keep-probability`).set('Authorization', auth.viewer).send({ promisedAt: iso(8) }), 403);
    });

    it('bins decided promises by the current version’s keep-probability and counts the observed keep-rate', async () => {
      // Only the current version counts: the server stored 0 with version 1 (its promise had passed).
      await satisfy(await withKeep(await create({ promisedAt: iso(-20) }), 0.75), iso(-21)); // kept, bin 0.7–0.8
      // Kept but without a probability: left out of calibration.
      await satisfy(await withKeep(await create({ promisedAt: iso(-20) }), null), iso(-30));
      // 0.9–1: one kept, one satisfied late → observed 0.5.
      await satisfy(await withKeep(await create({ promisedAt: iso(-20) }), 0.95), iso(-24));
      await satisfy(await withKeep(await create({ promisedAt: iso(-20) }), 0.91), iso(-5));
      // 0.5–0.6: one still open with its promise passed → a miss; one open with a future promise is undecided.
      await withKeep(await create({ promisedAt: iso(-1) }), 0.55);
      await withKeep(await create({ promisedAt: iso(24) }), 0.58);
      // A bound: exactly 1 belongs to the last bin.
      await satisfy(await withKeep(await create({ promisedAt: iso(-20) }), 1), iso(-21));

      const res = await get(`/analytics/summary?category=${encodeURIComponent(CATEGORY)}`);
      expect(res.status).toBe(200);
      const bins = res.body.calibration as { from: number; to: number; promises: number; kept: number; observed: number | null; predicted: number | null }[];
      expect(bins.map((b) => [b.from, b.to])).toEqual([
        [0, 0.5],
        [0.5, 0.6],
        [0.6, 0.7],
        [0.7, 0.8],
        [0.8, 0.9],
        [0.9, 1],
      ]);
      expect(bins.map((b) => [b.promises, b.kept, b.observed])).toEqual([
        [0, 0, null],
        [1, 0, 0],
        [0, 0, null],
        [1, 1, 1], // the case whose current version says 0.75 (version 1 said 0)
        [0, 0, null],
        [3, 2, 0.667],
      ]);
      expect(bins[1].predicted).toBeCloseTo(0.55);
      expect(bins[5].predicted).toBeCloseTo((0.95 + 0.91 + 1) / 3, 3);
      // Each bin's 95 % Wilson interval of the observed rate: wide at these sizes, none when empty.
      const intervals = (res.body.calibration as { interval: { low: number; high: number } | null }[]).map((b) => b.interval);
      expect(intervals[0]).toBeNull();
      expect(intervals[1]).toEqual({ low: 0, high: 0.793 }); // 0 of 1
      expect(intervals[3]).toEqual({ low: 0.207, high: 1 }); // 1 of 1
      expect(intervals[5]).toEqual({ low: 0.208, high: 0.939 }); // 2 of 3
    });

    it('is empty when no decided promise carries a keep-probability', async () => {
      const res = await get('/analytics/summary?category=Nothing%20here');
      expect(res.body.calibration).toEqual([]);
    });
  });

  describe('teams', () => {
    const CATEGORY = 'Team probe';
    const NORTH = 'Field team North'; // the demo engineer's team
    const SOUTH = 'Field team South';
    const patchUser = (id: string, body: object, etag: string, role = 'admin') =>
      t.http().patch(`/api/v1/users/${id}`).set('Authorization', auth[role]).set('If-Match', etag).send(body);
    const send = (c: { id: string; version: number }, engineer: { id: string; name: string }) =>
      t.http().put(`/api/v1/cases/${c.id}/assignment`).set('Authorization', auth.dispatcher).set('If-Match', `W/"${c.version}"`).send({ assigneeId: engineer.id, reason: 'on it' });
    let erik: { id: string; name: string };
    let sam: { id: string; name: string };

    beforeAll(async () => {
      erik = ((await get('/board/engineers')).body as { id: string; name: string }[]).find((e) => e.name === 'Erik Engineer')!;
      const created = await post('/users', { email: 'sam.south@demo.kept.test', name: 'Sam South', role: 'engineer', password: 'a-long-password' }, 'admin');
      expect(created.status).toBe(201);
      expect(created.body.team).toBeNull();
      sam = { id: created.body.id, name: 'Sam South' };
    });

    it('lets an admin set and clear a user’s team, validated, and nobody else', async () => {
      const etag = (await get(`/users/${sam.id}`, 'admin')).headers['etag'] as string;
      expectProblem(await patchUser(sam.id, { team: SOUTH }, etag, 'manager'), 403);
      for (const team of ['   ', 'x'.repeat(101), 42]) {
        const problem = expectProblem(await patchUser(sam.id, { team }, etag), 400);
        expect(problem.errors?.map((e) => e.path)).toContain('team');
      }
      expect((await get(`/users/${sam.id}`, 'admin')).body).toEqual(expect.objectContaining({ team: null, version: 1 }));

      const set = await patchUser(sam.id, { team: `  ${SOUTH} ` }, etag);
      expect(set.status).toBe(200);
      expect(set.body.team).toBe(SOUTH);
      const cleared = await patchUser(sam.id, { team: null }, set.headers['etag'] as string);
      expect(cleared.body.team).toBeNull();
      const again = await patchUser(sam.id, { team: SOUTH }, cleared.headers['etag'] as string);
      expect(again.body.team).toBe(SOUTH);
      const engineers = (await get('/board/engineers')).body as { name: string; team: string | null }[];
      expect(engineers).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'Erik Engineer', team: NORTH }), expect.objectContaining({ name: 'Sam South', team: SOUTH })]),
      );
    });

    it('filters the board by the case’s team (the team of the engineer it was last assigned to)', async () => {
      const make = async (summary: string) =>
        (await post('/cases', { customerId, category: CATEGORY, summary, promisedAt: new Date(Date.now() + 6 * HOUR).toISOString() })).body as {
          id: string;
          version: number;
        };
      const north = await make('Sent to Erik');
      expect((await send(north, erik)).status).toBe(200);
      const south = await make('Sent to Sam');
      expect((await send(south, sam)).status).toBe(200);
      // Assigned first to Erik, then to Sam: the latest assignment counts.
      const moved = await make('Moved to Sam');
      const first = await send(moved, erik);
      expect((await send(first.body, sam)).status).toBe(200);
      const nobody = await make('Not sent yet');

      const bySouth = await get(`/board?category=${encodeURIComponent(CATEGORY)}&team=${encodeURIComponent(SOUTH)}`);
      expect(bySouth.status).toBe(200);
      const southItems = bySouth.body.items as BoardItem[];
      expect(southItems.map((i) => i.id).sort()).toEqual([south.id, moved.id].sort());
      for (const item of southItems) expect(item.assignee).toEqual({ id: sam.id, name: 'Sam South', team: SOUTH });
      const byNorth = (await get(`/board?category=${encodeURIComponent(CATEGORY)}&team=${encodeURIComponent(NORTH)}`)).body.items as BoardItem[];
      expect(byNorth.map((i) => i.id)).toEqual([north.id]);
      const all = (await get(`/board?category=${encodeURIComponent(CATEGORY)}`)).body;
      expect((all.items as BoardItem[]).map((i) => i.id)).toContain(nobody.id);
      expect(all.facets.teams).toEqual([NORTH, SOUTH]);
      expect((await get(`/board?team=Nobody`)).body.items).toEqual([]);
      expectProblem(await get(`/board?team=${'x'.repeat(101)}`), 400);
    });

    it('breaks the keep-rate down by team next to the engineer', async () => {
      const iso = (h: number) => new Date(Date.now() + h * HOUR).toISOString();
      const closed = async (engineer: { id: string; name: string } | null, satisfiedAt: string) => {
        const c = (await post('/cases', { customerId, category: 'Team breakdown', summary: 'Closed', openedAt: iso(-30), promisedAt: iso(-10) })).body;
        let version = c.version as number;
        if (engineer) version = (await send(c, engineer)).body.version;
        const res = await t.http().post(`/api/v1/cases/${c.id}/satisfied`).set('Authorization', auth.dispatcher).set('If-Match', `W/"${version}"`).send({ at: satisfiedAt });
        expect(res.status).toBe(200);
      };
      await closed(sam, iso(-12)); // kept
      await closed(sam, iso(-2)); // late
      await closed(erik, iso(-20)); // kept
      await closed(null, iso(-15)); // nobody: no team

      const res = await get('/analytics/summary?category=Team%20breakdown');
      expect(res.status).toBe(200);
      const rows = res.body.byTeam as { key: string; label: string; closed: number; kept: number; missed: number; keepRate: number | null }[];
      expect(rows.map((r) => [r.key, r.label, r.closed, r.kept, r.missed, r.keepRate])).toEqual([
        [SOUTH, SOUTH, 2, 1, 1, 0.5],
        [NORTH, NORTH, 1, 1, 0, 1],
        ['none', 'No team', 1, 1, 0, 1],
      ]);
      const everything = (await get('/analytics/summary')).body;
      const sum = (list: { closed: number }[]) => list.reduce((s, r) => s + r.closed, 0);
      expect(sum(everything.byTeam)).toBe(everything.totals.closed);
    });
  });
});
