import { assessRisk } from '@kept/domain';
import { expectProblem } from './support/problem';
import { createTestApp, TestApp } from './support/app';
import { sql } from './support/sql';

interface BoardItem {
  id: string;
  status: string;
  summary: string;
  promisedAt: string | null;
  requiredAt: string | null;
  businessMinutesToPromise: number | null;
  businessMinutesToNeed: number | null;
  atRisk: boolean;
  riskReasons: string[];
  riskClass: 'missed' | 'at_risk' | 'on_track' | 'fixed';
}
interface BoardBody {
  now: string;
  items: BoardItem[];
  nextCursor: string | null;
  counts: { missed: number; atRisk: number; onTrack: number; fixed: number; total: number };
  order: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const RANK = { missed: 0, at_risk: 1, on_track: 2, fixed: 3 } as const;
const deadlineOf = (i: BoardItem) =>
  Math.min(i.promisedAt ? Date.parse(i.promisedAt) : Infinity, i.requiredAt ? Date.parse(i.requiredAt) : Infinity);

/** Pages through the board with `limit` until nextCursor is null; every page's body. */
async function allPages(get: (url: string) => Promise<{ status: number; body: BoardBody }>, url: string, limit: number) {
  const pages: BoardBody[] = [];
  let cursor: string | null = null;
  do {
    const res = await get(`${url}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    pages.push(res.body);
    cursor = res.body.nextCursor;
  } while (cursor && pages.length < 100);
  return pages;
}

describe('board: urgency order across pages, exact counts, one risk rule', () => {
  let t: TestApp;
  let auth: string;
  const get = async (url: string) => {
    const res = await t.http().get(`/api/v1${url}`).set('Authorization', auth);
    return { status: res.status, body: res.body as BoardBody, raw: res };
  };

  beforeAll(async () => {
    t = await createTestApp();
    auth = await t.login('dispatcher@demo.kept.test');
  });
  afterAll(() => t.close());

  describe('a few hundred cases in known classes (written behind the API’s back)', () => {
    const CATEGORY = 'Paging probe';
    const known = { missed: 61, atRisk: 73, onTrack: 97, fixed: 41, pausedOnTrack: 29 };

    beforeAll(async () => {
      // Each class's cases with deadlines spread over time (and some ties), so the order within a class matters.
      await sql(
        t.db.ownerUrl,
        `WITH src AS (SELECT tenant_id, customer_id FROM cases ORDER BY number LIMIT 1),
              spec(kind, n, status, promise_minutes, at_risk_minutes, paused_minutes) AS (VALUES
                ('missed', $2::int, 'open', -1, NULL, NULL),
                ('at_risk', $3::int, 'open', 1, -30, NULL),
                ('on_track', $4::int, 'open', 1, 600, NULL),
                ('fixed', $5::int, 'fixed', 1, NULL, NULL),
                ('paused', $6::int, 'paused', -1, NULL, -3000))
         INSERT INTO cases (tenant_id, number, customer_id, category, priority, summary, status, opened_at, promised_at,
                            promise_version, at_risk_at, paused_since, pause_reason)
         SELECT src.tenant_id, 700000 + row_number() OVER (), src.customer_id, $1, 'normal', spec.kind || ' ' || g, spec.status,
                now() - interval '3 days',
                -- promise: overdue ones 1..n hours ago (paused ones paused before that), others 1..n hours ahead
                now() + spec.promise_minutes * ((g % 40) + 1) * interval '1 hour', 1,
                now() + spec.at_risk_minutes * interval '1 minute',
                now() + spec.paused_minutes * interval '1 minute',
                CASE WHEN spec.status = 'paused' THEN 'Waiting for parts' END
           FROM src, spec, generate_series(1, spec.n) g`,
        [CATEGORY, known.missed, known.atRisk, known.onTrack, known.fixed, known.pausedOnTrack],
      );
      // The premise: the rows are there, in the classes the counts below expect.
      const [{ n }] = await sql<{ n: number }>(t.db.ownerUrl, `SELECT count(*)::int AS n FROM cases WHERE category = $1`, [CATEGORY]);
      expect(n).toBe(known.missed + known.atRisk + known.onTrack + known.fixed + known.pausedOnTrack);
    });

    it('pages with a small limit through every case exactly once, most urgent first, with exact counts', async () => {
      const pages = await allPages(get, `/board?category=${encodeURIComponent(CATEGORY)}`, 37);
      const total = known.missed + known.atRisk + known.onTrack + known.fixed + known.pausedOnTrack;
      expect(pages.length).toBe(Math.ceil(total / 37));
      const items = pages.flatMap((p) => p.items);
      expect(items).toHaveLength(total);
      expect(new Set(items.map((i) => i.id)).size).toBe(total);
      // Every page is measured at the first page's instant and carries the same exact counts.
      for (const p of pages) {
        expect(p.now).toBe(pages[0].now);
        expect(p.counts).toEqual({
          missed: known.missed,
          atRisk: known.atRisk,
          onTrack: known.onTrack + known.pausedOnTrack,
          fixed: known.fixed,
          total,
        });
      }
      expect(pages[pages.length - 1].nextCursor).toBeNull();
      // Across page boundaries: class first, then the earliest deadline (the longest overdue first), then id.
      for (let k = 1; k < items.length; k++) {
        const [a, b] = [items[k - 1], items[k]];
        const order = RANK[a.riskClass] - RANK[b.riskClass] || deadlineOf(a) - deadlineOf(b) || (a.id < b.id ? -1 : 1);
        expect(order).toBeLessThan(0);
      }
      // A paused case whose promise passed during its pause is not missed: its clock stopped before.
      expect(items.filter((i) => i.status === 'paused').every((i) => i.riskClass === 'on_track')).toBe(true);
      expect(items.slice(0, known.missed).every((i) => i.riskClass === 'missed')).toBe(true);
      expect(pages[0].order).toMatch(/earliest deadline/);
    });

    it('filters by class in SQL (risk=…, atRisk=…) and keeps the counts of every class', async () => {
      const missed = (await allPages(get, `/board?category=${encodeURIComponent(CATEGORY)}&risk=missed,fixed`, 50)).flatMap((p) => p.items);
      expect(missed).toHaveLength(known.missed + known.fixed);
      expect(new Set(missed.map((i) => i.riskClass))).toEqual(new Set(['missed', 'fixed']));
      const flagged = await get(`/board?category=${encodeURIComponent(CATEGORY)}&atRisk=true&limit=500`);
      expect(flagged.body.items).toHaveLength(known.missed + known.atRisk);
      expect(flagged.body.counts.total).toBe(known.missed + known.atRisk + known.onTrack + known.fixed + known.pausedOnTrack);
      const none = await get(`/board?category=${encodeURIComponent(CATEGORY)}&atRisk=true&risk=fixed`);
      expect(none.body.items).toEqual([]);
      expect(none.body.nextCursor).toBeNull();
    });

    it('answers a bad cursor or limit with a problem', async () => {
      expectProblem((await get('/board?cursor=not-a-cursor')).raw, 400);
      const forged = Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', 9, null, 'x'])).toString('base64url');
      expectProblem((await get(`/board?cursor=${forged}`)).raw, 400);
      expectProblem((await get('/board?limit=501')).raw, 400);
      expectProblem((await get('/board?limit=0')).raw, 400);
      expectProblem((await get('/board?risk=late')).raw, 400);
    });
  });

  it('classifies cases made through the API (the planner stores at_risk_at) as the domain’s assessRisk does', async () => {
    const now = Date.now();
    const at = (ms: number) => new Date(now + ms).toISOString();
    const customerId = (await t.http().post('/api/v1/customers').set('Authorization', auth).send({ name: 'Class probe customer' })).body.id;
    const CATEGORY = 'Class probe';
    const breakdown = { arrivalMinutes: 10, diagnosisMinutes: 30, fixMinutes: 30, testMinutes: 30 };
    const create = async (summary: string, body: object) => {
      const res = await t.http().post('/api/v1/cases').set('Authorization', auth).send({ customerId, category: CATEGORY, summary, ...body });
      expect(res.status).toBe(201);
      return res.body as { id: string; version: number };
    };
    const transition = async (c: { id: string; version: number }, action: 'fixed' | 'pause', body: object = {}) => {
      const res = await t.http().post(`/api/v1/cases/${c.id}/${action}`).set('Authorization', auth).set('If-Match', `W/"${c.version}"`).send(body);
      expect(res.status).toBe(200);
    };
    const expected: Record<string, BoardItem['riskClass']> = {};
    const make = async (summary: string, cls: BoardItem['riskClass'], body: object, then?: (c: { id: string; version: number }) => Promise<void>) => {
      const c = await create(summary, body);
      if (then) await then(c);
      expected[summary] = cls;
    };
    await make('promise passed', 'missed', { openedAt: at(-3 * HOUR), promisedAt: at(-HOUR) });
    await make('need passed', 'missed', { openedAt: at(-3 * HOUR), requiredAt: at(-30 * MINUTE), promisedAt: at(HOUR) });
    await make('promise after the need', 'at_risk', { requiredAt: at(2 * HOUR), promisedAt: at(5 * HOUR) });
    await make('no promise', 'at_risk', {});
    // Remaining work from the plan (no history in this category): 30 + 30 + 30 = 90 minutes > 60 left.
    await make('work does not fit', 'at_risk', { promisedAt: at(HOUR), promiseBreakdown: breakdown });
    await make('plenty of time', 'on_track', { promisedAt: at(10 * HOUR), promiseBreakdown: breakdown });
    await make('fixed, waiting', 'fixed', { promisedAt: at(10 * HOUR), promiseBreakdown: breakdown }, (c) => transition(c, 'fixed'));
    await make('fixed after its promise', 'missed', { openedAt: at(-3 * HOUR), promisedAt: at(-HOUR) }, (c) => transition(c, 'fixed'));
    await make('paused', 'on_track', { promisedAt: at(3 * HOUR), promiseBreakdown: breakdown }, (c) => transition(c, 'pause', { reason: 'Parts' }));

    const items = (await allPages(get, `/board?category=${encodeURIComponent(CATEGORY)}`, 2)).flatMap((p) => p.items);
    expect(items).toHaveLength(Object.keys(expected).length);
    for (const item of items) {
      // The domain's verdict on the item's own figures (business minutes on the case's clock, from now or the pause's start).
      const verdict = assessRisk({
        status: item.status,
        promisedAt: item.promisedAt ? new Date(item.promisedAt) : null,
        requiredAt: item.requiredAt ? new Date(item.requiredAt) : null,
        from: new Date(),
        businessMinutesToPromise: item.businessMinutesToPromise,
        businessMinutesToNeed: item.businessMinutesToNeed,
        remaining: null,
      });
      const overdue = item.riskReasons.some((r) => r === 'promise_overdue' || r === 'need_overdue');
      const byReasons = overdue ? 'missed' : item.atRisk ? 'at_risk' : item.status === 'fixed' ? 'fixed' : 'on_track';
      expect({ summary: item.summary, riskClass: item.riskClass }).toEqual({ summary: item.summary, riskClass: expected[item.summary] });
      expect({ summary: item.summary, riskClass: item.riskClass }).toEqual({ summary: item.summary, riskClass: byReasons });
      // The timing reasons need no remaining work: the board's figures give the same overdue verdict.
      expect(verdict.reasons.some((r) => r.endsWith('_overdue'))).toBe(overdue);
    }
    // And in board order.
    expect(items.map((i) => RANK[i.riskClass])).toEqual(items.map((i) => RANK[i.riskClass]).sort((a, b) => a - b));
    // The planner stored the risk data in the same transactions: the pause's start, and each at-risk instant.
    const stored = await sql<{ summary: string; at_risk_at: Date | null; paused_since: Date | null; pause_start: Date | null }>(
      t.db.ownerUrl,
      `SELECT c.summary, c.at_risk_at, c.paused_since, p.started_at AS pause_start
         FROM cases c LEFT JOIN case_pauses p ON p.case_id = c.id AND p.ended_at IS NULL WHERE c.category = $1`,
      [CATEGORY],
    );
    const row = (summary: string) => stored.find((r) => r.summary === summary)!;
    expect(row('paused').paused_since).toEqual(row('paused').pause_start);
    expect(row('paused').paused_since).not.toBeNull();
    expect(stored.filter((r) => r.summary !== 'paused').every((r) => r.paused_since === null)).toBe(true);
    expect(row('plenty of time').at_risk_at!.getTime()).toBeGreaterThan(now);
    expect(row('work does not fit').at_risk_at!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(row('fixed, waiting').at_risk_at).toBeNull();
  });
});
