import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { expectErrorPaths, expectProblem, expectValidation } from './support/problem';
import type { TestApp } from './support/app';
import { count, sql } from './support/sql';
import { casesFixture, EXPECTED_AT, MINUTE, PROMISED_AT, REQUIRED_AT } from './support/cases-fixture';

describe('cases', () => {
  const fx = casesFixture();
  const { auth, get, post, casesCount, caseCounter, fullCase, simpleCase, createCase, expectUnchanged } = fx;
  let t: TestApp;
  let customerId: string;
  let siteId: string;
  let assetId: string;
  let contractId: string;
  let otherCustomerId: string;
  beforeAll(() => ({ t, customerId, siteId, assetId, contractId, otherCustomerId } = fx));

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

});
