import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { expectErrorPaths, expectProblem, expectValidation } from './support/problem';
import { createTestApp, TestApp } from './support/app';
import { count, sql } from './support/sql';

type Period = [string, string];
const nineToFive = (): Period[] => [['09:00', '17:00']];
/** Mon–Fri 09:00–17:00 in Berlin (UTC+1 in January): 08:00–16:00Z. */
const BERLIN_OFFICE = {
  timeZone: 'Europe/Berlin',
  week: { mon: nineToFive(), tue: nineToFive(), wed: nineToFive(), thu: nineToFive(), fri: nineToFive(), sat: [], sun: [] },
  holidays: ['2030-12-25'],
};

// Times with known gaps on BERLIN_OFFICE: a Friday and the next Monday in January (no DST, no holiday)
// two years ahead, so that the promise is still open whenever the suite runs.
const YEAR = new Date().getUTCFullYear() + 2;
const FRIDAY = [4, 5, 6, 7, 8, 9, 10].find((d) => new Date(Date.UTC(YEAR, 0, d)).getUTCDay() === 5) as number;
const utc = (month: number, day: number, hour: number) => new Date(Date.UTC(YEAR, month - 1, day, hour)).toISOString();
const EXPECTED_AT = utc(1, FRIDAY, 13); // Fri 14:00 Berlin
const REQUIRED_AT = utc(1, FRIDAY, 15); // Fri 16:00 Berlin
const PROMISED_AT = utc(1, FRIDAY + 3, 10); // Mon 11:00 Berlin
const REPROMISED_AT = utc(1, FRIDAY + 3, 14); // Mon 15:00 Berlin

const MINUTE = 60_000;

interface CaseBody {
  id: string;
  reference: string;
  status: string;
  version: number;
  promiseVersion: number;
  ledger: { id: string; field: string; oldValue: string | null; newValue: string | null; reason: string | null; promiseVersion: number }[];
  [key: string]: unknown;
}

describe('cases', () => {
  let t: TestApp;
  const auth: Record<string, string> = {};
  let customerId: string;
  let siteId: string;
  let assetId: string;
  let contractId: string;
  let otherCustomerId: string;

  const get = (url: string, role = 'dispatcher') => t.http().get(`/api/v1${url}`).set('Authorization', auth[role]);
  const post = (url: string, body: object, role = 'dispatcher', headers: Record<string, string> = {}) => {
    let req = t.http().post(`/api/v1${url}`).set('Authorization', auth[role]);
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    return req.send(body);
  };
  const casesCount = () => count(t.db.ownerUrl, 'cases');
  const caseCounter = async () => (await sql<{ n: number }>(t.db.ownerUrl, `SELECT case_counter AS n FROM organizations WHERE slug = 'demo'`))[0].n;

  const fullCase = () => ({
    customerId,
    siteId,
    assetId,
    contractId,
    category: 'Instrument down',
    priority: 'high',
    summary: 'Analyzer shows error E-42 on the sample probe',
    context: 'Five samples must be analyzed before the doctor calls patients at 4 pm.',
    stressLevel: 4,
    requiredAt: REQUIRED_AT,
    expectedAt: EXPECTED_AT,
    expectationSource: 'stated_by_customer',
    promisedAt: PROMISED_AT,
    promiseBreakdown: { arrivalMinutes: 60, diagnosisMinutes: 30, fixMinutes: 60, testMinutes: 30 },
    customerAccepted: 'yes',
  });
  const simpleCase = (over: Record<string, unknown> = {}) => ({ customerId, category: 'Calibration', summary: 'QC out of range', ...over });

  async function createCase(body: object = simpleCase()): Promise<CaseBody> {
    const res = await post('/cases', body);
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Asserts a refused change left the case exactly as it was (version, status and ledger). */
  async function expectUnchanged(before: CaseBody) {
    const after = await get(`/cases/${before.id}`);
    expect(after.status).toBe(200);
    expect(after.body.version).toBe(before.version);
    expect(after.body.status).toBe(before.status);
    expect(after.body.promiseVersion).toBe(before.promiseVersion);
    expect(after.body.ledger).toEqual(before.ledger);
    expect(after.headers['etag']).toBe(`W/"${before.version}"`);
  }

  beforeAll(async () => {
    t = await createTestApp();
    for (const role of ['admin', 'manager', 'dispatcher', 'engineer', 'viewer']) auth[role] = await t.login(`${role}@demo.kept.test`);
    customerId = (await post('/customers', { name: 'Praxis am Markt' })).body.id;
    otherCustomerId = (await post('/customers', { name: 'Someone else' })).body.id;
    siteId = (await post('/sites', { customerId, name: 'Lab', timeZone: 'Europe/Berlin' })).body.id;
    assetId = (await post('/assets', { siteId, name: 'Cobas c 311' })).body.id;
    const calendarId = (await post('/calendars', { name: 'Berlin office', definition: BERLIN_OFFICE }, 'manager')).body.id;
    contractId = (await post('/contracts', { customerId, name: 'Standard', promiseMinutes: 480, calendarId }, 'manager')).body.id;
    expect([customerId, otherCustomerId, siteId, assetId, calendarId, contractId].every(Boolean)).toBe(true);
  });
  afterAll(() => t.close());

  describe('create', () => {
    it('opens a case with the four times: 201, Location, ETag, ledger, promise version 1 and the gaps', async () => {
      const before = await casesCount();
      const res = await post('/cases', fullCase());
      expect(res.status).toBe(201);
      const c = res.body;
      expect(res.headers['location']).toBe(`/api/v1/cases/${c.id}`);
      expect(res.headers['etag']).toBe('W/"1"');
      expect(await casesCount()).toBe(before + 1);
      expect(c).toEqual(
        expect.objectContaining({
          id: expect.any(String),
          reference: 'K-1041', // the demo tenant holds K-1001…K-1040
          customer: { id: customerId, name: 'Praxis am Markt' },
          site: { id: siteId, name: 'Lab', timeZone: 'Europe/Berlin' },
          assetId,
          contractId,
          category: 'Instrument down',
          priority: 'high',
          summary: 'Analyzer shows error E-42 on the sample probe',
          context: 'Five samples must be analyzed before the doctor calls patients at 4 pm.',
          stressLevel: 4,
          status: 'open',
          pauseReason: null,
          requiredAt: REQUIRED_AT,
          expectedAt: EXPECTED_AT,
          expectationSource: 'stated_by_customer',
          promisedAt: PROMISED_AT,
          fixedAt: null,
          satisfiedAt: null,
          promiseVersion: 1,
          version: 1,
          assignee: null,
          milestones: [],
          pauses: [],
        }),
      );
      expect(Math.abs(Date.parse(c.openedAt) - Date.now())).toBeLessThan(60_000);
      expect(c.gaps).toEqual({
        promisedMinusRequired: { wallMinutes: 67 * 60, businessMinutes: 60 + 120 },
        promisedMinusExpected: { wallMinutes: 69 * 60, businessMinutes: 180 + 120 },
        satisfiedMinusPromised: null,
        satisfiedMinusRequired: null,
        promise: 'open',
        need: 'open',
        calendar: 'contract',
      });
      const actor = { id: expect.any(String), kind: 'user', name: 'Dana Dispatcher' };
      const entry = (field: string, newValue: string, extra: object = {}) => ({
        id: expect.any(String),
        at: expect.any(String),
        actor,
        field,
        oldValue: null,
        newValue,
        oldLabel: null,
        newLabel: null,
        reason: 'Case opened',
        expectationSource: null,
        customerAccepted: null,
        promiseVersion: 1,
        ...extra,
      });
      expect(c.ledger).toEqual([
        entry('status', 'open'),
        entry('requiredAt', REQUIRED_AT),
        entry('expectedAt', EXPECTED_AT, { expectationSource: 'stated_by_customer' }),
        entry('promisedAt', PROMISED_AT, { customerAccepted: 'yes' }),
      ]);
      expect(c.promises).toEqual([
        {
          version: 1,
          promisedAt: PROMISED_AT,
          breakdown: { arrivalMinutes: 60, diagnosisMinutes: 30, fixMinutes: 60, testMinutes: 30 },
          // Computed by the server from the forecast (the demo history gives it data): a promise two years out.
          keepProbability: expect.any(Number),
          reason: 'First promise',
          customerAccepted: 'yes',
          createdAt: expect.any(String),
        },
      ]);

      const fetched = await get(`/cases/${c.id}`, 'viewer');
      expect(fetched.status).toBe(200);
      expect(fetched.headers['etag']).toBe('W/"1"');
      expect(fetched.body).toEqual({ ...c, gaps: c.gaps });
    });

    it('opens a case with no times at all: promise version 0, one ledger entry, gaps null', async () => {
      const c = await createCase(simpleCase());
      expect(c.promiseVersion).toBe(0);
      expect(c.ledger.map((e) => e.field)).toEqual(['status']);
      expect(c.gaps).toEqual({
        promisedMinusRequired: null,
        promisedMinusExpected: null,
        satisfiedMinusPromised: null,
        satisfiedMinusRequired: null,
        promise: null,
        need: null,
        calendar: 'always',
      });
      expect(c.priority).toBe('normal');
    });

    it('refuses times before openedAt (422) and creates nothing, not even a case number', async () => {
      const before = await casesCount();
      const counter = await caseCounter();
      const openedAt = new Date(Date.now() - 60 * MINUTE).toISOString();
      const early = new Date(Date.now() - 120 * MINUTE).toISOString();
      const res = await post('/cases', simpleCase({ openedAt, requiredAt: early, promisedAt: early, expectedAt: new Date().toISOString() }));
      const body = expectProblem(res, 422, 'INVALID_TIMES');
      expectErrorPaths(body, ['requiredAt', 'promisedAt']);
      expect(body.errors?.map((e) => e.path)).not.toContain('expectedAt');
      expectProblem(await post('/cases', simpleCase({ openedAt: new Date(Date.now() + 24 * 60 * MINUTE).toISOString() })), 422, 'INVALID_TIMES');
      expect(await casesCount()).toBe(before);
      expect(await caseCounter()).toBe(counter);
      expect(await count(t.db.ownerUrl, 'case_ledger', `new_value = $1`, [early])).toBe(0);
    });

    it('refuses times too far apart to measure (422), not a 500', async () => {
      const before = await casesCount();
      const far = expectProblem(await post('/cases', simpleCase({ promisedAt: '2999-01-01T00:00:00Z', requiredAt: REQUIRED_AT })), 422, 'INVALID_TIMES');
      expect(far.errors).toEqual([{ path: 'promisedAt', message: expect.any(String) }]);
      expectErrorPaths(
        expectProblem(await post('/cases', simpleCase({ openedAt: '1900-01-01T00:00:00Z', requiredAt: '1900-01-02T00:00:00Z' })), 422, 'INVALID_TIMES'),
        ['openedAt'],
      );
      expect(await casesCount()).toBe(before);
      const x = await createCase(simpleCase({ promisedAt: PROMISED_AT }));
      expectProblem(await post(`/cases/${x.id}/promise`, { promisedAt: '2999-01-01T00:00:00Z', reason: 'far', version: 1 }), 422, 'INVALID_TIMES');
      const patched = await t.http().patch(`/api/v1/cases/${x.id}`).set('Authorization', auth.dispatcher).send({ requiredAt: '2999-01-01T00:00:00Z', version: 1 });
      expectProblem(patched, 422, 'INVALID_TIMES');
      await expectUnchanged(x);
    });

    it('refuses references to unknown records or records of another customer (422)', async () => {
      const before = await casesCount();
      expectErrorPaths(expectProblem(await post('/cases', simpleCase({ customerId: randomUUID() })), 422, 'INVALID_REFERENCE'), ['customerId']);
      const mixed = expectProblem(await post('/cases', simpleCase({ customerId: otherCustomerId, siteId, assetId, contractId })), 422, 'INVALID_REFERENCE');
      expectErrorPaths(mixed, ['siteId', 'assetId', 'contractId']);
      expectErrorPaths(expectProblem(await post('/cases', simpleCase({ contractId: randomUUID() })), 422, 'INVALID_REFERENCE'), ['contractId']);
      expect(await casesCount()).toBe(before);
    });

    it('validates the body (400 with errors[])', async () => {
      const before = await casesCount();
      expectValidation(await post('/cases', { customerId: 'nope', summary: '', stressLevel: 6, priority: 'asap', requiredAt: '2030-01-04 15:00' }), [
        'customerId',
        'category',
        'summary',
        'stressLevel',
        'priority',
        'requiredAt',
      ]);
      // The create body is strict: a client cannot set the status or the number.
      expectValidation(await post('/cases', simpleCase({ status: 'satisfied' })), []);
      expect(await casesCount()).toBe(before);
    });

    it('lets only staff open cases: viewers and engineers get 403', async () => {
      const before = await casesCount();
      expectProblem(await post('/cases', simpleCase(), 'viewer'), 403, 'FORBIDDEN');
      expectProblem(await post('/cases', simpleCase(), 'engineer'), 403, 'FORBIDDEN');
      expect(await casesCount()).toBe(before);
      for (const role of ['manager', 'admin']) expect((await post('/cases', simpleCase(), role)).status).toBe(201);
    });
  });

  describe('list', () => {
    type Item = { id: string; reference: string; status: string; customer: { id: string }; category: string; priority: string; summary: string; openedAt: string };
    beforeAll(async () => {
      // The 40 demo cases may hold no paused case: make sure one exists.
      const x = await createCase(simpleCase({ summary: 'Paused for the list filter' }));
      expect((await post(`/cases/${x.id}/pause`, { reason: 'Waiting for spare parts', version: 1 })).status).toBe(200);
    });

    const list = async (query: string, role = 'viewer'): Promise<Item[]> => {
      const res = await get(`/cases?limit=200&${query}`, role);
      expect(res.status).toBe(200);
      expect(res.body.nextCursor).toBeNull();
      return res.body.items;
    };

    it('filters by status (one or several)', async () => {
      const paused = await list('status=paused');
      expect(paused.length).toBe(await count(t.db.ownerUrl, 'cases', `status = 'paused'`));
      expect(paused.length).toBeGreaterThan(0);
      expect(paused.every((c) => c.status === 'paused')).toBe(true);
      const active = await list('status=open,paused');
      expect(active.length).toBe(await count(t.db.ownerUrl, 'cases', `status IN ('open','paused')`));
      expect(new Set(active.map((c) => c.status))).toEqual(new Set(['open', 'paused']));
      expectValidation(await get('/cases?status=closed'), ['status.0']);
      expectValidation(await get('/cases?status=open,closed'), ['status.1']);
    });

    it('filters by customer, category and priority', async () => {
      const [{ customer_id: demoCustomer }] = await sql<{ customer_id: string }>(
        t.db.ownerUrl,
        `SELECT customer_id FROM cases GROUP BY customer_id ORDER BY count(*) DESC, customer_id LIMIT 1`,
      );
      const byCustomer = await list(`customerId=${demoCustomer}`);
      expect(byCustomer.length).toBe(await count(t.db.ownerUrl, 'cases', 'customer_id = $1', [demoCustomer]));
      expect(byCustomer.length).toBeGreaterThan(1);
      expect(byCustomer.every((c) => c.customer.id === demoCustomer)).toBe(true);

      const calibration = await list('category=Calibration');
      expect(calibration.length).toBe(await count(t.db.ownerUrl, 'cases', `category = 'Calibration'`));
      expect(calibration.every((c) => c.category === 'Calibration')).toBe(true);

      const urgentCalibration = await list('category=Calibration&priority=urgent');
      expect(urgentCalibration.length).toBe(await count(t.db.ownerUrl, 'cases', `category = 'Calibration' AND priority = 'urgent'`));
      expect(urgentCalibration.every((c) => c.category === 'Calibration' && c.priority === 'urgent')).toBe(true);

      expectValidation(await get('/cases?customerId=123&priority=asap&limit=0'), ['customerId', 'priority', 'limit']);
      expectValidation(await get('/cases?limit=201'), ['limit']);
    });

    it('searches the summary (case-insensitive) and the reference', async () => {
      const bySummary = await list('q=e-42 ON THE');
      expect(bySummary.map((c) => c.summary)).toEqual(['Analyzer shows error E-42 on the sample probe']);
      const analyzer = await list('q=analyzer');
      expect(analyzer.length).toBe(await count(t.db.ownerUrl, 'cases', `summary ILIKE '%analyzer%'`));

      const [k1001] = await list('q=K-1001');
      expect((await list('q=K-1001')).map((c) => c.reference)).toEqual(['K-1001']);
      expect((await list('q=k-1001')).map((c) => c.id)).toEqual([k1001.id]);
      expect((await list('q=1001')).map((c) => c.id)).toContain(k1001.id);
      expect(await list('q=K-999999')).toEqual([]);
      // LIKE wildcards are literal
      expect(await list('q=%25')).toEqual([]);
    });

    it('filters by the opening window (openedFrom inclusive, openedTo exclusive)', async () => {
      const [{ mid }] = await sql<{ mid: Date }>(t.db.ownerUrl, 'SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY opened_at) AS mid FROM cases');
      const from = new Date(mid.getTime() - 7 * 86_400_000).toISOString();
      const to = mid.toISOString();
      const window = await list(`openedFrom=${from}&openedTo=${to}`);
      expect(window.length).toBe(await count(t.db.ownerUrl, 'cases', 'opened_at >= $1 AND opened_at < $2', [from, to]));
      expect(window.every((c) => c.openedAt >= from && c.openedAt < to)).toBe(true);
      expect(window.map((c) => c.openedAt)).not.toContain(to);
      // Year 0000 is a valid ISO instant (1 BC): an empty filter, not a database error.
      expect((await list('openedFrom=0000-01-01T00:00:00Z')).length).toBe(await casesCount());
      expect(await list('openedTo=0000-01-01T00:00:00Z')).toEqual([]);
      expectValidation(await get('/cases?openedFrom=2026-02-30T00:00:00Z&openedTo=yesterday'), ['openedFrom', 'openedTo']);
    });

    it('walks every page with the cursor, newest first, without duplicates or gaps', async () => {
      const total = await casesCount();
      const seen: Item[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: Response = await get(`/cases?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, 'engineer');
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(7);
        seen.push(...res.body.items);
        cursor = res.body.nextCursor;
        pages++;
        if (cursor) expect(res.body.items).toHaveLength(7);
      } while (cursor && pages < 100);
      expect(seen.length).toBe(total);
      expect(new Set(seen.map((c) => c.id)).size).toBe(total);
      expect(pages).toBe(Math.ceil(total / 7));
      const [{ ids }] = await sql<{ ids: string[] }>(t.db.ownerUrl, 'SELECT array_agg(id ORDER BY opened_at DESC, id DESC) AS ids FROM cases');
      expect(seen.map((c) => c.id)).toEqual(ids);

      // With a filter too
      const satisfied = await count(t.db.ownerUrl, 'cases', `status = 'satisfied'`);
      const filtered: string[] = [];
      cursor = null;
      do {
        const res: Response = await get(`/cases?status=satisfied&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        filtered.push(...res.body.items.map((c: Item) => c.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(filtered.length).toBe(satisfied);
      expect(new Set(filtered).size).toBe(satisfied);
    });

    it('answers 400 for a tampered cursor', async () => {
      const first = await get('/cases?limit=2');
      const cursor: string = first.body.nextCursor;
      const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString());
      const tampered = [
        'not-a-cursor',
        Buffer.from('{"openedAt":1}').toString('base64url'),
        Buffer.from(JSON.stringify(['yesterday', decoded[1]])).toString('base64url'),
        Buffer.from(JSON.stringify([decoded[0], "x' OR 1=1 --"])).toString('base64url'),
        Buffer.from(JSON.stringify([decoded[0], '-'.repeat(36)])).toString('base64url'), // uuid-shaped, not a uuid
        Buffer.from(JSON.stringify([-8.64e15, decoded[1]])).toString('base64url'), // a Date PostgreSQL cannot hold
        Buffer.from(JSON.stringify([0, decoded[1]])).toString('base64url'),
        cursor.slice(0, -3),
      ];
      for (const bad of tampered) {
        expectProblem(await get(`/cases?limit=2&cursor=${encodeURIComponent(bad)}`), 400, 'INVALID_CURSOR');
      }
    });
  });

  describe('detail', () => {
    it('returns a demo case with its ledger, milestones, pauses and promise versions', async () => {
      const [row] = await sql<{ id: string }>(
        t.db.ownerUrl,
        `SELECT c.id FROM cases c WHERE c.promise_version = 2 ORDER BY c.number LIMIT 1`,
      );
      const [paused] = await sql<{ id: string }>(t.db.ownerUrl, `SELECT id FROM cases WHERE status = 'paused' ORDER BY number LIMIT 1`);
      for (const id of [row?.id, paused?.id].filter(Boolean)) {
        const res = await get(`/cases/${id}`, 'viewer');
        expect(res.status).toBe(200);
        expect(res.body.ledger.length).toBe(await count(t.db.ownerUrl, 'case_ledger', 'case_id = $1', [id]));
        expect(res.body.milestones.length).toBe(await count(t.db.ownerUrl, 'case_milestones', 'case_id = $1', [id]));
        expect(res.body.pauses.length).toBe(await count(t.db.ownerUrl, 'case_pauses', 'case_id = $1', [id]));
        expect(res.body.promises.length).toBe(await count(t.db.ownerUrl, 'case_promises', 'case_id = $1', [id]));
        expect(res.body.promises.map((p: { version: number }) => p.version)).toEqual(
          Array.from({ length: res.body.promiseVersion }, (_, i) => i + 1),
        );
        const ids = res.body.ledger.map((e: { id: string }) => Number(e.id));
        expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      }
      expect(row).toBeDefined();
      expect(paused).toBeDefined();
      const p = await get(`/cases/${paused.id}`);
      expect(p.body.status).toBe('paused');
      expect(p.body.pauseReason).toEqual(expect.any(String));
      expect(p.body.pauses.at(-1)).toEqual({ id: expect.any(String), from: expect.any(String), to: null, reason: p.body.pauseReason });
    });

    it('answers 404 for an unknown id and 400 for a non-uuid', async () => {
      const id = randomUUID();
      const body = expectProblem(await get(`/cases/${id}`), 404, 'CASE_NOT_FOUND');
      expect(body.detail).toContain(id);
      expectProblem(await get('/cases/K-1001'), 400);
      expectProblem(await post(`/cases/${id}/cancel`, { version: 1 }), 404, 'CASE_NOT_FOUND');
    });
  });

  describe('life cycle', () => {
    let c: CaseBody;

    beforeAll(async () => {
      c = await createCase(fullCase());
    });

    it('re-promises: promise version 2, ledger old → new with reason and acceptance, both versions kept', async () => {
      const res = await post(`/cases/${c.id}/promise`, { promisedAt: REPROMISED_AT, reason: 'Spare part on backorder', customerAccepted: 'pending' }, 'dispatcher', {
        'If-Match': 'W/"1"',
      });
      expect(res.status).toBe(200);
      expect(res.headers['etag']).toBe('W/"2"');
      expect(res.body).toEqual(expect.objectContaining({ promisedAt: REPROMISED_AT, promiseVersion: 2, version: 2, status: 'open' }));
      expect(res.body.ledger.slice(0, 4)).toEqual(c.ledger);
      expect(res.body.ledger).toHaveLength(5);
      expect(res.body.ledger[4]).toEqual(
        expect.objectContaining({
          field: 'promisedAt',
          oldValue: PROMISED_AT,
          newValue: REPROMISED_AT,
          reason: 'Spare part on backorder',
          customerAccepted: 'pending',
          promiseVersion: 2,
          actor: expect.objectContaining({ kind: 'user', name: 'Dana Dispatcher' }),
        }),
      );
      expect(res.body.promises).toEqual([
        expect.objectContaining({ version: 1, promisedAt: PROMISED_AT, reason: 'First promise', customerAccepted: 'yes' }),
        expect.objectContaining({ version: 2, promisedAt: REPROMISED_AT, reason: 'Spare part on backorder', customerAccepted: 'pending', breakdown: null }),
      ]);
      // Mon 09:00–15:00 Berlin = 360 business minutes after Fri 16:00–17:00
      expect(res.body.gaps.promisedMinusRequired).toEqual({ wallMinutes: 71 * 60, businessMinutes: 60 + 360 });
      const stored = await sql<{ version: number; promised_at: Date }>(t.db.ownerUrl, 'SELECT version, promised_at FROM case_promises WHERE case_id = $1 ORDER BY version', [c.id]);
      expect(stored.map((p) => [p.version, p.promised_at.toISOString()])).toEqual([
        [1, PROMISED_AT],
        [2, REPROMISED_AT],
      ]);
      c = res.body;
    });

    it('refuses a re-promise by an engineer (403) or without a reason (400)', async () => {
      expectProblem(await post(`/cases/${c.id}/promise`, { promisedAt: REPROMISED_AT, reason: 'x', version: c.version }, 'engineer'), 403, 'FORBIDDEN');
      expectValidation(await post(`/cases/${c.id}/promise`, { promisedAt: REPROMISED_AT, version: c.version }), ['reason']);
      await expectUnchanged(c);
    });

    it('enforces the version: 428 without, 412 for a stale If-Match, 409 for a stale body version; nothing changes', async () => {
      const body = { promisedAt: utc(2, 1, 10), reason: 'Engineer delayed' };
      expectProblem(await post(`/cases/${c.id}/promise`, body), 428, 'PRECONDITION_REQUIRED');
      expectProblem(await post(`/cases/${c.id}/promise`, body, 'dispatcher', { 'If-Match': 'W/"1"' }), 412, 'PRECONDITION_FAILED');
      expectProblem(await post(`/cases/${c.id}/promise`, { ...body, version: 1 }), 409, 'VERSION_CONFLICT');
      expectProblem(await post(`/cases/${c.id}/pause`, { reason: 'x' }, 'engineer'), 428, 'PRECONDITION_REQUIRED');
      expectProblem(await post(`/cases/${c.id}/milestones`, { kind: 'dispatched' }, 'engineer', { 'If-Match': 'W/"99"' }), 412, 'PRECONDITION_FAILED');
      await expectUnchanged(c);
      expect(await count(t.db.ownerUrl, 'case_promises', 'case_id = $1', [c.id])).toBe(2);
    });

    it('lets exactly one of two concurrent changes with the same version win', async () => {
      const fresh = await createCase(simpleCase({ promisedAt: REPROMISED_AT }));
      const change = (n: number) =>
        post(`/cases/${fresh.id}/promise`, { promisedAt: utc(2, n, 10), reason: `attempt ${n}` }, 'dispatcher', { 'If-Match': 'W/"1"' });
      const results = await Promise.all([change(1), change(2)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
      const after = await get(`/cases/${fresh.id}`);
      expect(after.body.version).toBe(2);
      expect(after.body.promiseVersion).toBe(2);
      expect(after.body.ledger.filter((e: { field: string }) => e.field === 'promisedAt')).toHaveLength(2);
    });

    it('refuses transitions that are not allowed (409) and changes nothing', async () => {
      expectProblem(await post(`/cases/${c.id}/resume`, { version: c.version }, 'engineer'), 409, 'INVALID_TRANSITION');
      await expectUnchanged(c);
    });

    it('pauses with a reason and resumes', async () => {
      const paused = await post(`/cases/${c.id}/pause`, { reason: 'Waiting for customer access to the lab', version: c.version }, 'engineer');
      expect(paused.status).toBe(200);
      expect(paused.body).toEqual(expect.objectContaining({ status: 'paused', pauseReason: 'Waiting for customer access to the lab', version: c.version + 1 }));
      expect(paused.body.pauses).toEqual([{ id: expect.any(String), from: expect.any(String), to: null, reason: 'Waiting for customer access to the lab' }]);
      expect(paused.body.ledger.at(-1)).toEqual(
        expect.objectContaining({ field: 'status', oldValue: 'open', newValue: 'paused', reason: 'Waiting for customer access to the lab', promiseVersion: 2 }),
      );
      expect((await get('/cases?status=paused&limit=200')).body.items.map((i: { id: string }) => i.id)).toContain(c.id);

      const again = await post(`/cases/${c.id}/pause`, { reason: 'twice', version: paused.body.version }, 'engineer');
      expectProblem(again, 409, 'INVALID_TRANSITION');
      await expectUnchanged(paused.body);

      const resumed = await post(`/cases/${c.id}/resume`, { reason: 'Access granted' }, 'engineer', { 'If-Match': paused.headers['etag'] });
      expect(resumed.status).toBe(200);
      expect(resumed.body).toEqual(expect.objectContaining({ status: 'open', pauseReason: null, version: c.version + 2 }));
      expect(resumed.body.pauses).toEqual([expect.objectContaining({ to: expect.any(String) })]);
      expect(Date.parse(resumed.body.pauses[0].to)).toBeGreaterThanOrEqual(Date.parse(resumed.body.pauses[0].from));
      expect(resumed.body.ledger.at(-1)).toEqual(expect.objectContaining({ field: 'status', oldValue: 'paused', newValue: 'open', reason: 'Access granted' }));
      c = resumed.body;
    });

    it('records milestones (engineers may; viewers may not)', async () => {
      expectProblem(await post(`/cases/${c.id}/milestones`, { kind: 'arrived', version: c.version }, 'viewer'), 403, 'FORBIDDEN');
      expectValidation(await post(`/cases/${c.id}/milestones`, { kind: 'teleported', version: c.version }, 'engineer'), ['kind']);
      const at = new Date(Date.parse(c.openedAt as string) + 1).toISOString(); // between opening and now
      const res = await post(`/cases/${c.id}/milestones`, { kind: 'arrived', at, note: 'On site, lab door 3', version: c.version }, 'engineer');
      expect(res.status).toBe(201);
      expect(res.headers['etag']).toBe(`W/"${c.version + 1}"`);
      expect(res.body.milestones).toEqual([
        { id: expect.any(String), kind: 'arrived', at, actor: { id: expect.any(String), name: 'Erik Engineer' }, note: 'On site, lab door 3' },
      ]);
      expect(res.body.ledger).toEqual(c.ledger);
      const future = new Date(Date.now() + 24 * 60 * MINUTE).toISOString();
      expectProblem(await post(`/cases/${c.id}/milestones`, { kind: 'diagnosed', at: future, version: res.body.version }, 'engineer'), 422, 'INVALID_TIMES');
      c = res.body;
    });

    it('marks the case fixed (engineer) and satisfied (staff): the promise is kept', async () => {
      const fixed = await post(`/cases/${c.id}/fixed`, { reason: 'First successful test', version: c.version }, 'engineer');
      expect(fixed.status).toBe(200);
      expect(fixed.body.status).toBe('fixed');
      expect(fixed.body.fixedAt).toEqual(expect.any(String));
      expect(fixed.body.ledger.slice(-2)).toEqual([
        expect.objectContaining({ field: 'fixedAt', oldValue: null, newValue: fixed.body.fixedAt }),
        expect.objectContaining({ field: 'status', oldValue: 'open', newValue: 'fixed' }),
      ]);
      expectProblem(await post(`/cases/${c.id}/fixed`, { version: fixed.body.version }, 'engineer'), 409, 'INVALID_TRANSITION');
      expectProblem(await post(`/cases/${c.id}/satisfied`, { version: fixed.body.version }, 'engineer'), 403, 'FORBIDDEN');
      await expectUnchanged(fixed.body);

      const satisfied = await post(`/cases/${c.id}/satisfied`, { reason: 'Customer confirmed by phone' }, 'dispatcher', { 'If-Match': fixed.headers['etag'] });
      expect(satisfied.status).toBe(200);
      const s = satisfied.body;
      expect(s.status).toBe('satisfied');
      expect(s.fixedAt).toBe(fixed.body.fixedAt);
      expect(s.ledger.slice(-2)).toEqual([
        expect.objectContaining({ field: 'satisfiedAt', oldValue: null, newValue: s.satisfiedAt }),
        expect.objectContaining({ field: 'status', oldValue: 'fixed', newValue: 'satisfied', reason: 'Customer confirmed by phone' }),
      ]);
      expect(s.gaps.promise).toBe('kept');
      expect(s.gaps.need).toBe('kept');
      expect(s.gaps.satisfiedMinusPromised.wallMinutes).toBeCloseTo((Date.parse(s.satisfiedAt) - Date.parse(REPROMISED_AT)) / MINUTE, 6);
      expect(s.gaps.satisfiedMinusPromised.wallMinutes).toBeLessThan(0);
      // Every earlier ledger entry is still there, unchanged.
      expect(s.ledger.slice(0, c.ledger.length)).toEqual(c.ledger);
      c = s;
    });

    it('refuses any change to a satisfied case (409) and changes nothing', async () => {
      const v = c.version;
      expectProblem(await post(`/cases/${c.id}/promise`, { promisedAt: utc(3, 1, 10), reason: 'too late', version: v }), 409, 'CASE_CLOSED');
      expectProblem(await post(`/cases/${c.id}/cancel`, { version: v }), 409, 'CASE_CLOSED');
      expectProblem(await post(`/cases/${c.id}/pause`, { reason: 'x', version: v }, 'engineer'), 409, 'CASE_CLOSED');
      expectProblem(await post(`/cases/${c.id}/milestones`, { kind: 'test_passed', version: v }, 'engineer'), 409, 'CASE_CLOSED');
      expectProblem(await post(`/cases/${c.id}/satisfied`, { version: v }), 409, 'CASE_CLOSED');
      await expectUnchanged(c);
      expect(await count(t.db.ownerUrl, 'case_promises', 'case_id = $1', [c.id])).toBe(2);
    });

    it('judges a promise missed when satisfaction comes after it', async () => {
      const base = Math.floor(Date.now() / MINUTE) * MINUTE;
      const iso = (minutesAgo: number) => new Date(base - minutesAgo * MINUTE).toISOString();
      const late = await createCase(simpleCase({ openedAt: iso(180), requiredAt: iso(150), promisedAt: iso(120) }));
      expect(late.gaps).toEqual(expect.objectContaining({ promise: 'missed', need: 'missed', calendar: 'always' }));
      expect(late.gaps).toEqual(expect.objectContaining({ promisedMinusRequired: { wallMinutes: 30, businessMinutes: 30 } }));
      expectProblem(await post(`/cases/${late.id}/satisfied`, { at: iso(200), version: 1 }), 422, 'INVALID_TIMES');
      await expectUnchanged(late);
      const res = await post(`/cases/${late.id}/satisfied`, { at: iso(60), version: 1 });
      expect(res.status).toBe(200);
      expect(res.body.satisfiedAt).toBe(iso(60));
      expect(res.body.fixedAt).toBe(iso(60));
      expect(res.body.gaps).toEqual({
        promisedMinusRequired: { wallMinutes: 30, businessMinutes: 30 },
        promisedMinusExpected: null,
        satisfiedMinusPromised: { wallMinutes: 60, businessMinutes: 60 },
        satisfiedMinusRequired: { wallMinutes: 90, businessMinutes: 90 },
        promise: 'missed',
        need: 'missed',
        calendar: 'always',
      });
      expect(res.body.ledger.map((e: { field: string }) => e.field)).toEqual(['status', 'requiredAt', 'promisedAt', 'fixedAt', 'satisfiedAt', 'status']);
    });

    it('cancels a paused case; a cancelled case accepts no change', async () => {
      const x = await createCase();
      const paused = await post(`/cases/${x.id}/pause`, { reason: 'Customer on holiday', version: 1 });
      expect(paused.status).toBe(200);
      const cancelled = await post(`/cases/${x.id}/cancel`, { reason: 'Solved remotely', version: 2 });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toEqual(expect.objectContaining({ status: 'cancelled', pauseReason: null, version: 3 }));
      expect(cancelled.body.pauses[0].to).toEqual(expect.any(String));
      expect(cancelled.body.ledger.at(-1)).toEqual(expect.objectContaining({ field: 'status', oldValue: 'paused', newValue: 'cancelled', reason: 'Solved remotely' }));
      expectProblem(await post(`/cases/${x.id}/resume`, { version: 3 }), 409, 'CASE_CLOSED');
      expectProblem(await post(`/cases/${x.id}/cancel`, { version: 3 }), 409, 'CASE_CLOSED');
      await expectUnchanged(cancelled.body);
    });

    it('updates the need with a ledger entry (PATCH)', async () => {
      const x = await createCase(simpleCase({ requiredAt: REQUIRED_AT }));
      const res = await t.http()
        .patch(`/api/v1/cases/${x.id}`)
        .set('Authorization', auth.dispatcher)
        .set('If-Match', 'W/"1"')
        .send({ requiredAt: REPROMISED_AT, reason: 'Doctor moved the appointment', summary: 'QC out of range on Na+' });
      expect(res.status).toBe(200);
      expect(res.headers['etag']).toBe('W/"2"');
      expect(res.body).toEqual(expect.objectContaining({ requiredAt: REPROMISED_AT, summary: 'QC out of range on Na+', version: 2 }));
      expect(res.body.ledger.at(-1)).toEqual(
        expect.objectContaining({ field: 'requiredAt', oldValue: REQUIRED_AT, newValue: REPROMISED_AT, reason: 'Doctor moved the appointment' }),
      );
      const early = await t.http()
        .patch(`/api/v1/cases/${x.id}`)
        .set('Authorization', auth.dispatcher)
        .set('If-Match', 'W/"2"')
        .send({ requiredAt: '2020-01-01T00:00:00Z' });
      expectProblem(early, 422, 'INVALID_TIMES');
      await expectUnchanged(res.body);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first response for the same key and body, creating one case', async () => {
      const key = randomUUID();
      const before = await casesCount();
      const first = await post('/cases', simpleCase({ summary: 'Idempotent create' }), 'dispatcher', { 'Idempotency-Key': key });
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const second = await post('/cases', simpleCase({ summary: 'Idempotent create' }), 'dispatcher', { 'Idempotency-Key': key });
      expect(second.status).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body.id).toBe(first.body.id);
      expect(second.body.reference).toBe(first.body.reference);
      expect(second.body).toEqual(first.body);
      expect(await casesCount()).toBe(before + 1);
    });

    it('answers 422 for the same key with a different body, creating nothing', async () => {
      const key = randomUUID();
      const first = await post('/cases', simpleCase({ summary: 'Key reuse 1' }), 'dispatcher', { 'Idempotency-Key': key });
      expect(first.status).toBe(201);
      const before = await casesCount();
      expectProblem(await post('/cases', simpleCase({ summary: 'Key reuse 2' }), 'dispatcher', { 'Idempotency-Key': key }), 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await casesCount()).toBe(before);
    });

    it('creates exactly one case for two concurrent requests with the same key', async () => {
      const key = randomUUID();
      const before = await casesCount();
      const body = simpleCase({ summary: 'Concurrent idempotent create' });
      const results = await Promise.all([
        post('/cases', body, 'dispatcher', { 'Idempotency-Key': key }),
        post('/cases', body, 'dispatcher', { 'Idempotency-Key': key }),
        post('/cases', body, 'dispatcher', { 'Idempotency-Key': key }),
      ]);
      expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(2);
      expect(await casesCount()).toBe(before + 1);
      expect(await count(t.db.ownerUrl, 'cases', `summary = 'Concurrent idempotent create'`)).toBe(1);
    });

    it('does not burn the key on a request that fails validation or a domain check', async () => {
      const key = randomUUID();
      const before = await casesCount();
      expectValidation(await post('/cases', { customerId, summary: '' }, 'dispatcher', { 'Idempotency-Key': key }), ['summary', 'category']);
      expectProblem(await post('/cases', simpleCase({ customerId: randomUUID() }), 'dispatcher', { 'Idempotency-Key': key }), 422, 'INVALID_REFERENCE');
      expect(await count(t.db.ownerUrl, 'idempotency_keys', 'key = $1', [key])).toBe(0);
      const ok = await post('/cases', simpleCase({ summary: 'After failures' }), 'dispatcher', { 'Idempotency-Key': key });
      expect(ok.status).toBe(201);
      expect(ok.headers['idempotent-replayed']).toBeUndefined();
      expect(await casesCount()).toBe(before + 1);
    });

    it('refuses a malformed key (400)', async () => {
      const before = await casesCount();
      expectProblem(await post('/cases', simpleCase(), 'dispatcher', { 'Idempotency-Key': 'x'.repeat(256) }), 400, 'INVALID_IDEMPOTENCY_KEY');
      expect(await casesCount()).toBe(before);
    });
  });
});
