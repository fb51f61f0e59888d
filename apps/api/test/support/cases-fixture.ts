// The shared fixture of the cases API tests (cases.e2e-spec.ts and case-life-cycle.e2e-spec.ts): one test
// app per file on its own database, the logins of every role, a customer with a site, an asset and a
// contract on a Berlin office calendar, and helpers to create cases and check that a refused change
// left a case as it was.
import { createTestApp, TestApp } from './app';
import { forecastReady } from './forecast';
import { count, sql } from './sql';

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
export const YEAR = new Date().getUTCFullYear() + 2;
export const FRIDAY = [4, 5, 6, 7, 8, 9, 10].find((d) => new Date(Date.UTC(YEAR, 0, d)).getUTCDay() === 5) as number;
export const utc = (month: number, day: number, hour: number) => new Date(Date.UTC(YEAR, month - 1, day, hour)).toISOString();
export const EXPECTED_AT = utc(1, FRIDAY, 13); // Fri 14:00 Berlin
export const REQUIRED_AT = utc(1, FRIDAY, 15); // Fri 16:00 Berlin
export const PROMISED_AT = utc(1, FRIDAY + 3, 10); // Mon 11:00 Berlin
export const REPROMISED_AT = utc(1, FRIDAY + 3, 14); // Mon 15:00 Berlin

export const MINUTE = 60_000;

export interface CaseBody {
  id: string;
  reference: string;
  status: string;
  version: number;
  promiseVersion: number;
  ledger: { id: string; field: string; oldValue: string | null; newValue: string | null; reason: string | null; promiseVersion: number }[];
  [key: string]: unknown;
}


/** Registers the file's beforeAll/afterAll and returns the fixture, filled once beforeAll has run. */
export function casesFixture() {
  const fx = {
    t: undefined as unknown as TestApp,
    auth: {} as Record<string, string>,
    customerId: '',
    siteId: '',
    assetId: '',
    contractId: '',
    otherCustomerId: '',
    get: (url: string, role = 'dispatcher') => fx.t.http().get(`/api/v1${url}`).set('Authorization', fx.auth[role]),
    post: (url: string, body: object, role = 'dispatcher', headers: Record<string, string> = {}) => {
      let req = fx.t.http().post(`/api/v1${url}`).set('Authorization', fx.auth[role]);
      for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
      return req.send(body);
    },
    casesCount: () => count(fx.t.db.ownerUrl, 'cases'),
    caseCounter: async () => (await sql<{ n: number }>(fx.t.db.ownerUrl, `SELECT kept_case_number_last(id) AS n FROM organizations WHERE slug = 'demo'`))[0].n,
    fullCase: () => ({
      customerId: fx.customerId,
      siteId: fx.siteId,
      assetId: fx.assetId,
      contractId: fx.contractId,
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
    }),
    simpleCase: (over: Record<string, unknown> = {}) => ({ customerId: fx.customerId, category: 'Calibration', summary: 'QC out of range', ...over }),
    async createCase(body: object = fx.simpleCase()): Promise<CaseBody> {
      const res = await fx.post('/cases', body);
      if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    /** Asserts a refused change left the case exactly as it was (version, status and ledger). */
    async expectUnchanged(before: CaseBody) {
      const after = await fx.get(`/cases/${before.id}`);
      expect(after.status).toBe(200);
      expect(after.body.version).toBe(before.version);
      expect(after.body.status).toBe(before.status);
      expect(after.body.promiseVersion).toBe(before.promiseVersion);
      expect(after.body.ledger).toEqual(before.ledger);
      expect(after.headers['etag']).toBe(`W/"${before.version}"`);
    },
  };

  beforeAll(async () => {
    fx.t = await createTestApp();
    for (const role of ['admin', 'manager', 'dispatcher', 'engineer', 'viewer']) fx.auth[role] = await fx.t.login(`${role}@demo.kept.test`);
    fx.customerId = (await fx.post('/customers', { name: 'Praxis am Markt' })).body.id;
    fx.otherCustomerId = (await fx.post('/customers', { name: 'Someone else' })).body.id;
    fx.siteId = (await fx.post('/sites', { customerId: fx.customerId, name: 'Lab', timeZone: 'Europe/Berlin' })).body.id;
    fx.assetId = (await fx.post('/assets', { siteId: fx.siteId, name: 'Cobas c 311' })).body.id;
    const calendarId = (await fx.post('/calendars', { name: 'Berlin office', definition: BERLIN_OFFICE }, 'manager')).body.id;
    fx.contractId = (await fx.post('/contracts', { customerId: fx.customerId, name: 'Standard', promiseMinutes: 480, calendarId }, 'manager')).body.id;
    expect([fx.customerId, fx.otherCustomerId, fx.siteId, fx.assetId, calendarId, fx.contractId].every(Boolean)).toBe(true);
    // A promise is stored with the forecast's keep-probability: let the model (built off the request path) land first.
    await forecastReady(fx.t);
  });
  afterAll(() => fx.t.close());
  return fx;
}
