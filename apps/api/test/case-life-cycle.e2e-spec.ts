import { randomUUID } from 'node:crypto';
import { expectProblem, expectValidation } from './support/problem';
import type { TestApp } from './support/app';
import { count, sql } from './support/sql';
import { casesFixture, MINUTE, PROMISED_AT, REPROMISED_AT, REQUIRED_AT, utc, type CaseBody } from './support/cases-fixture';

describe('cases: life cycle and idempotency', () => {
  const fx = casesFixture();
  const { auth, get, post, casesCount, fullCase, simpleCase, createCase, expectUnchanged } = fx;
  let t: TestApp;
  let customerId: string;
  beforeAll(() => ({ t, customerId } = fx));

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
