import { createTestApp, TestApp } from './support/app';
import { forecastReady } from './support/forecast';

/**
 * The forecast model builds in a worker thread, off the request path: the first request of a tenant is
 * answered at once, flagged `modelStatus: 'building'`, and later requests use the built model.
 */
describe('forecast model off the request path', () => {
  let t: TestApp;
  let auth: string;
  const recommend = (body: object) => t.http().post('/api/v1/recommendations').set('Authorization', auth).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    auth = await t.login('dispatcher@demo.kept.test');
  });
  afterAll(() => t.close());

  it('answers the first recommendation without waiting for the model, then from the model once built', async () => {
    const openedAt = new Date().toISOString();
    const promisedAt = new Date(Date.now() + 8 * 3_600_000).toISOString();
    // The first request of the tenant starts the build and is answered from what is known without history.
    const first = await recommend({ category: 'Instrument down', openedAt, promisedAt });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ modelStatus: 'building', recommended: null, basis: null, breakdown: [] });
    expect(first.body.typed).toMatchObject({ promisedAt, durationMinutes: 480, keepProbability: 0 });
    expect(first.body.expectation).toEqual(expect.objectContaining({ sources: expect.any(Array) }));
    // The API stays responsive meanwhile.
    expect((await t.http().get('/api/v1/health')).status).toBe(200);

    await forecastReady(t);
    const later = await recommend({ category: 'Instrument down', openedAt, promisedAt });
    expect(later.status).toBe(200);
    expect(later.body.modelStatus).toBe('ready');
    expect(later.body.recommended).toEqual(expect.objectContaining({ durationMinutes: expect.any(Number) }));
    expect(later.body.basis.modelCases).toBeGreaterThan(0);
    expect(later.body.typed.keepProbability).toBeGreaterThan(0);
  });

  it('gives the board keep-probabilities from the model built in the worker', async () => {
    await forecastReady(t);
    const res = await t.http().get('/api/v1/board').set('Authorization', auth);
    expect(res.status).toBe(200);
    const promised = (res.body.items as { status: string; promisedAt: string | null; keepProbability: number | null }[]).filter(
      (i) => i.promisedAt && i.status !== 'fixed',
    );
    expect(promised.length).toBeGreaterThan(0);
    expect(promised.every((i) => typeof i.keepProbability === 'number')).toBe(true);
  });
});
