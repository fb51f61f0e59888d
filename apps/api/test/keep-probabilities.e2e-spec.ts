import { conditionalKeepProbability } from '@kept/forecast';
import { TenantContext } from '../src/common/database/tenant-context';
import { ForecastService, type OpenCaseInput } from '../src/modules/forecast/forecast.service';
import { createTestApp, TestApp } from './support/app';
import { sql } from './support/sql';

const HOUR = 3_600_000;

/**
 * ForecastService.keepProbabilities, the one server function behind every stored and shown
 * keep-probability of an open case, on the demo tenant's history (fixed `now`, 24/7 clock: no site, no
 * contract, so business time is wall time).
 */
describe('ForecastService.keepProbabilities', () => {
  let t: TestApp;
  let tenantId: string;
  const now = new Date(Math.floor(Date.now() / HOUR) * HOUR);
  const at = (hours: number) => new Date(now.getTime() + hours * HOUR);
  const input = (id: string, over: Partial<OpenCaseInput>): OpenCaseInput => ({
    id,
    siteId: null,
    contractId: null,
    category: 'Instrument down',
    priority: 'normal',
    status: 'open',
    openedAt: now,
    promisedAt: at(4),
    ...over,
  });
  const run = (cases: OpenCaseInput[]) =>
    t.app.get(TenantContext).run(tenantId, () => t.app.get(ForecastService).keepProbabilities(cases, now));

  beforeAll(async () => {
    t = await createTestApp();
    [{ id: tenantId }] = await sql<{ id: string }>(t.db.ownerUrl, `SELECT id FROM organizations WHERE slug = 'demo'`);
    const categories = await sql<{ category: string }>(t.db.ownerUrl, `SELECT DISTINCT category FROM cases WHERE status = 'satisfied'`);
    // The premise: the demo history knows the category used below.
    expect(categories.map((c) => c.category)).toContain('Instrument down');
    // The model builds off the request path (a worker thread): every figure below is the model's.
    await t.app.get(ForecastService).ready(tenantId);
  });
  afterAll(() => t.close());

  it.each([
    ['no promise', null, { promisedAt: null }],
    ['a fixed case (it waits only for the customer)', null, { status: 'fixed' }],
    ['a promise already passed (missed)', 0, { openedAt: at(-5), promisedAt: at(-1) }],
    ['a promise passing right now', 0, { openedAt: at(-5), promisedAt: now }],
  ] as const)('answers %s with %p', async (_, expected, over) => {
    const result = await run([input('x', over as Partial<OpenCaseInput>)]);
    expect(result.get('x')).toBe(expected);
  });

  it('is a probability that grows with the promise, for every case asked in one call', async () => {
    const result = await run([1, 4, 24, 24 * 14].map((h) => input(`h${h}`, { promisedAt: at(h) })));
    const ps = [1, 4, 24, 24 * 14].map((h) => result.get(`h${h}`) as number);
    for (const p of ps) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    expect([...ps].sort((a, b) => a - b)).toEqual(ps);
    expect(ps[3]).toBeGreaterThan(ps[0]);
  });

  it('conditions on the case still being open now: P(T ≤ promise | T > elapsed)', async () => {
    // F(d) is a fresh case's figure for a promise d hours out; a case open for 2 h with 2 h left gets
    // (F(4 h) − F(2 h)) / (1 − F(2 h)), not F(2 h) nor F(4 h).
    const fresh = await run([input('f2', { promisedAt: at(2) }), input('f4', { promisedAt: at(4) })]);
    const f2 = fresh.get('f2') as number;
    const f4 = fresh.get('f4') as number;
    expect(f4).toBeGreaterThan(f2); // the premise: the two figures differ
    const running = await run([input('r', { openedAt: at(-2), promisedAt: at(2) })]);
    expect(running.get('r')).toBeCloseTo(conditionalKeepProbability(f4, f2, false) as number, 6);
  });
});
