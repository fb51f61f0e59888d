import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTestApp, TestApp } from './support/app';
import { expectProblem } from './support/problem';
import { forecastReady } from './support/forecast';
import { count, sql } from './support/sql';

/**
 * History import and the forecast endpoints on the real API: a real dataset (NYC 311 sample) is
 * uploaded as CSV into the demo tenant, then recommendations and expectations are asked against it.
 */
const root = path.resolve(__dirname, '../../..');
const nycCsv = readFileSync(path.join(root, 'test-fixtures/data/nyc311_sample/dev.csv'));
const nycMapping = readFileSync(path.join(root, 'mappings/nyc311_sample.mapping.json'), 'utf8');
const HEADER = 'Unique Key,Created Date,Closed Date,Agency,Complaint Type,Borough,Status,Due Date\n';

describe('imports and forecast', () => {
  let t: TestApp;
  const auth: Record<string, string> = {};
  let demoCases: number;

  beforeAll(async () => {
    t = await createTestApp();
    for (const role of ['admin', 'manager', 'dispatcher', 'viewer']) auth[role] = await t.login(`${role}@demo.kept.test`);
    demoCases = await count(t.db.ownerUrl, 'cases');
  });
  afterAll(() => t.close());

  const upload = (body: Buffer | string, opts: { role?: string; mapping?: string | null; query?: string; type?: string } = {}) => {
    let req = t
      .http()
      .post(`/api/v1/imports${opts.query ?? ''}`)
      .set('Authorization', auth[opts.role ?? 'manager'])
      .set('Content-Type', opts.type ?? 'text/csv');
    if (opts.mapping !== null) req = req.set('X-Kept-Mapping', (opts.mapping ?? nycMapping).replace(/\n/g, ' '));
    return req.send(body);
  };
  const recommend = (body: object, role = 'dispatcher') => t.http().post('/api/v1/recommendations').set('Authorization', auth[role]).send(body);

  describe('POST /imports', () => {
    it('imports a real dataset, reports the rejected row, and is idempotent', async () => {
      const first = await upload(nycCsv, { query: '?fileName=nyc311.csv' });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ rows: 1400, inserted: 1399, alreadyPresent: 0, rejected: 1, strict: false, rejectedRows: [{ line: 780, reason: expect.stringContaining('before createdAt') }] });
      expect(first.body.fileSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(await count(t.db.ownerUrl, 'cases')).toBe(demoCases + 1399);
      const again = await upload(nycCsv);
      expect(again.status).toBe(201);
      expect(again.body).toMatchObject({ inserted: 0, alreadyPresent: 1399, fileSha256: first.body.fileSha256 });
      expect(await count(t.db.ownerUrl, 'cases')).toBe(demoCases + 1399);
      const [batch] = await sql<{ file_name: string; inserted: number }>(t.db.ownerUrl, `SELECT file_name, inserted FROM import_batches ORDER BY created_at LIMIT 1`);
      expect(batch).toEqual({ file_name: 'nyc311.csv', inserted: 1399 });
    });

    it('strict: one bad row rejects the file with every reason, and nothing changes', async () => {
      const before = await count(t.db.ownerUrl, 'cases');
      const res = await upload(HEADER + '77,03/01/2011 10:00:00 AM,,DOT,Pothole,QUEENS,Open,\n78,02/30/2011 10:00:00 AM,,DOT,Pothole,QUEENS,Open,\n79,,,DOT,Pothole,QUEENS,Open,\n', { query: '?strict=true' });
      const problem = expectProblem(res, 422, 'IMPORT_REJECTED');
      expect(problem.errors).toEqual([
        { path: 'line 3', message: 'createdAt (Created Date): cannot read "02/30/2011 10:00:00 AM" as a us timestamp' },
        { path: 'line 4', message: 'createdAt (Created Date) is empty' },
      ]);
      expect(await count(t.db.ownerUrl, 'cases')).toBe(before);
      expect(await count(t.db.ownerUrl, 'import_batches')).toBe(2);
    });

    it('answers bad files, mappings and media types with clear problems', async () => {
      const before = await count(t.db.ownerUrl, 'cases');
      expectProblem(await upload('Unique Key,Created Date\n1,03/01/2011 10:00:00 AM\n'), 422, 'IMPORT_INVALID_FILE');
      const latin1 = Buffer.concat([Buffer.from(HEADER + '80,03/01/2011 10:00:00 AM,,DOT,'), Buffer.from([0xe9]), Buffer.from(',QUEENS,Open,\n')]);
      const enc = expectProblem(await upload(latin1), 422, 'IMPORT_INVALID_FILE');
      expect(enc.detail).toMatch(/not valid UTF-8/);
      expectProblem(await upload(HEADER, { mapping: null }), 400, 'IMPORT_INVALID_MAPPING');
      expectProblem(await upload(HEADER, { mapping: '{"columns":{}}' }), 400, 'IMPORT_INVALID_MAPPING');
      expectProblem(await upload('{}', { type: 'application/json' }), 415, 'IMPORT_UNSUPPORTED_MEDIA_TYPE');
      expectProblem(await upload(HEADER, { role: 'dispatcher' }), 403);
      expect(await count(t.db.ownerUrl, 'cases')).toBe(before);
    });
  });

  describe('POST /recommendations', () => {
    // The imports above changed the history: the model rebuilds off the request path; wait for it.
    beforeAll(() => forecastReady(t));

    it('recommends a promise from similar cases, with its basis and the expectation', async () => {
      const openedAt = '2011-03-02T18:00:00.000Z';
      const res = await recommend({ category: 'NYPD / Illegal Parking', region: 'BROOKLYN', openedAt });
      expect(res.status).toBe(200);
      const body = res.body;
      expect(body.target).toBe(0.9);
      expect(body.recommended.durationMinutes).toBeGreaterThan(0);
      expect(Date.parse(body.recommended.promisedAt)).toBeGreaterThan(Date.parse(openedAt));
      expect(body.recommended.keepProbability).toBeGreaterThan(0.5);
      // The tenant's levels are chosen on its own history by the pinball loss at its target (issue 16 item 2,
      // forecast's selectLevels, as `kept evaluate` chooses them): on these ~1,400 NYC cases no level beats
      // all cases pooled by two standard errors, so the basis is the whole tenant. (With category → priority →
      // region fixed, as before, the segment was { category, priority, region }.)
      expect(body.basis).toMatchObject({ segment: {}, halfLifeDays: 60, clock: 'wall' });
      expect(body.basis.n).toBeGreaterThan(0);
      expect(body.basis.modelCases).toBeGreaterThan(1399);
      expect(body.expectation).toMatchObject({ dominatingSource: 'tenant_history' });
      expect(body.expectation.n).toBeGreaterThan(0);
      expect(body.warning).toBeNull();
      expect(body.options).toEqual([]);
      expect(body.modelStatus).toBe('ready');
    });

    it('gives a typed promise its keep-probability, higher for a later promise', async () => {
      const openedAt = '2011-03-02T18:00:00.000Z';
      const base = { category: 'NYPD / Noise - Residential', openedAt };
      const soon = await recommend({ ...base, promisedAt: '2011-03-02T18:30:00.000Z' });
      const later = await recommend({ ...base, promisedAt: '2011-03-03T18:00:00.000Z' });
      expect(soon.status).toBe(200);
      expect(soon.body.typed.durationMinutes).toBe(30);
      expect(later.body.typed.keepProbability).toBeGreaterThan(soon.body.typed.keepProbability);
    });

    it('a higher target gives a longer promise', async () => {
      const base = { category: 'DOT / Street Condition', openedAt: '2011-03-02T18:00:00.000Z' };
      const low = await recommend({ ...base, target: 0.5 });
      const high = await recommend({ ...base, target: 0.95 });
      expect(high.body.recommended.durationMinutes).toBeGreaterThan(low.body.recommended.durationMinutes);
    });

    it('warns when the promise lands after what the customer needs, and offers options', async () => {
      const res = await recommend({ category: 'DOT / Street Condition', openedAt: '2011-03-02T18:00:00.000Z', requiredAt: '2011-03-02T18:10:00.000Z' });
      expect(res.status).toBe(200);
      expect(res.body.warning).toMatchObject({ code: 'PROMISE_AFTER_REQUIRED' });
      expect(res.body.warning.lateByMinutes).toBeGreaterThan(0);
      expect(res.body.options.map((o: { kind: string }) => o.kind)).toEqual(['loaner', 'remote_fix', 'other_branch', 'partial_fix']);
    });

    it('runs on the contract calendar of the customer and shows where the expectation comes from', async () => {
      const [customer] = await sql<{ customer_id: string; site_id: string }>(
        t.db.ownerUrl,
        `SELECT k.customer_id, s.id AS site_id FROM contracts k JOIN sites s ON s.customer_id = k.customer_id ORDER BY k.created_at LIMIT 1`,
      );
      const res = await recommend({ customerId: customer.customer_id, siteId: customer.site_id, category: 'repair' });
      expect(res.status).toBe(200);
      expect(res.body.basis.clock).toBe('business');
      const sources = res.body.expectation.sources.map((s: { source: string }) => s.source);
      expect(sources).toContain('organizational_promise');
      const exp = await t
        .http()
        .post('/api/v1/expectations')
        .set('Authorization', auth.dispatcher)
        .send({ customerId: customer.customer_id, category: 'repair', otherSources: [{ source: 'competitor_norm', expectedAt: '2031-01-01T00:00:00Z' }] });
      expect(exp.status).toBe(200);
      expect(exp.body.sources.map((s: { source: string }) => s.source)).toContain('competitor_norm');
    });

    it('answers invalid requests with problems', async () => {
      expectProblem(await recommend({ priority: 'normal' }), 400, 'VALIDATION_FAILED');
      expectProblem(await recommend({ category: 'x', customerId: '00000000-0000-4000-8000-000000000000' }), 422, 'FORECAST_REFERENCE_NOT_FOUND');
      expectProblem(await recommend({ category: 'x', openedAt: '2030-01-02T00:00:00Z', promisedAt: '2030-01-01T00:00:00Z' }), 422, 'FORECAST_INVALID_TIMES');
      expectProblem(await recommend({ category: 'x' }, 'viewer'), 403);
    });
  });
});
