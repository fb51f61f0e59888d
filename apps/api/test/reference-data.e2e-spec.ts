import { randomUUID } from 'node:crypto';
import { expectErrorPaths, expectProblem, expectValidation } from './support/problem';
import { createTestApp, TestApp } from './support/app';
import { count } from './support/sql';

type Period = [string, string];
const nineToFive = (): Period[] => [['09:00', '17:00']];
const officeHours = (over: Record<string, unknown> = {}) => ({
  timeZone: 'Europe/Berlin',
  week: { mon: nineToFive(), tue: nineToFive(), wed: nineToFive(), thu: nineToFive(), fri: nineToFive(), sat: [], sun: [] },
  holidays: ['2030-12-25'],
  ...over,
});

describe('reference data: customers, sites, assets, calendars, contracts, users', () => {
  let t: TestApp;
  const auth: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    for (const role of ['admin', 'manager', 'dispatcher', 'engineer', 'viewer']) auth[role] = await t.login(`${role}@demo.kept.test`);
  });
  afterAll(() => t.close());

  const get = (url: string, role = 'dispatcher') => t.http().get(`/api/v1${url}`).set('Authorization', auth[role]);
  const post = (url: string, body: object, role = 'dispatcher') => t.http().post(`/api/v1${url}`).set('Authorization', auth[role]).send(body);
  const patch = (url: string, body: object, role = 'dispatcher', ifMatch?: string) => {
    const req = t.http().patch(`/api/v1${url}`).set('Authorization', auth[role]);
    return (ifMatch === undefined ? req : req.set('If-Match', ifMatch)).send(body);
  };

  /**
   * The optimistic-concurrency contract of a PATCH route: 428 without a version, 412 for a stale
   * If-Match, 409 for a stale body version, 412 for an unreadable If-Match, and nothing changes on any
   * of them; the current If-Match or body version succeeds and bumps the ETag.
   */
  async function checkConcurrency(url: string, role: string, change: (n: number) => Record<string, unknown>, field: string) {
    const before = await get(url, role);
    expect(before.status).toBe(200);
    const v: number = before.body.version;
    expect(before.headers['etag']).toBe(`W/"${v}"`);

    expectProblem(await patch(url, change(1), role), 428, 'PRECONDITION_REQUIRED');
    expectProblem(await patch(url, change(2), role, `W/"${v + 5}"`), 412, 'PRECONDITION_FAILED');
    expectProblem(await patch(url, { ...change(3), version: v + 5 }, role), 409, 'VERSION_CONFLICT');
    expectProblem(await patch(url, change(4), role, 'yesterday'), 412, 'PRECONDITION_FAILED');
    const unchanged = await get(url, role);
    expect(unchanged.body.version).toBe(v);
    expect(unchanged.body[field]).toEqual(before.body[field]);

    const ok = await patch(url, change(5), role, before.headers['etag']);
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(v + 1);
    expect(ok.headers['etag']).toBe(`W/"${v + 1}"`);
    expect(ok.body[field]).toEqual(change(5)[field]);

    // The old ETag is stale now; the body version works too, and If-Match wins over the body.
    expectProblem(await patch(url, change(6), role, before.headers['etag']), 412, 'PRECONDITION_FAILED');
    expectProblem(await patch(url, { ...change(6), version: v + 1 }, role, `W/"${v}"`), 412, 'PRECONDITION_FAILED');
    const byBody = await patch(url, { ...change(7), version: v + 1 }, role);
    expect(byBody.status).toBe(200);
    expect(byBody.body.version).toBe(v + 2);
    expect((await get(url, role)).body[field]).toEqual(change(7)[field]);
  }

  describe('customers', () => {
    let customer: { id: string; version: number };

    it('creates, lists, gets and patches a customer', async () => {
      const created = await post('/customers', { name: 'Klinikum Nord Labor', email: 'lab@nord.example', phone: '+49 40 123' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        name: 'Klinikum Nord Labor',
        email: 'lab@nord.example',
        phone: '+49 40 123',
        language: 'en',
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      customer = created.body;

      const list = await get('/customers', 'viewer');
      expect(list.status).toBe(200);
      expect(list.body.length).toBe(13); // 12 demo customers + this one
      expect(list.body.map((c: { id: string }) => c.id)).toContain(customer.id);
      const names = list.body.map((c: { name: string }) => c.name);
      expect([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(names);

      const found = await get('/customers?q=nord', 'engineer');
      expect(found.body.map((c: { id: string }) => c.id)).toEqual([customer.id]);
      // LIKE wildcards in q are literal characters, not patterns.
      expect((await get('/customers?q=%25')).body).toEqual([]);
      expect((await get('/customers?q=_')).body).toEqual([]);

      const one = await get(`/customers/${customer.id}`, 'viewer');
      expect(one.status).toBe(200);
      expect(one.headers['etag']).toBe('W/"1"');
      expect(one.body).toEqual(created.body);

      const patched = await patch(`/customers/${customer.id}`, { phone: '+49 40 999' }, 'dispatcher', 'W/"1"');
      expect(patched.status).toBe(200);
      expect(patched.body).toEqual({ ...created.body, phone: '+49 40 999', version: 2, updatedAt: expect.any(String) });
    });

    it('enforces optimistic concurrency on PATCH', async () => {
      await checkConcurrency(`/customers/${customer.id}`, 'manager', (n) => ({ name: `Klinikum Nord Labor ${n}` }), 'name');
    });

    it('refuses writes by viewers and engineers', async () => {
      const before = await count(t.db.ownerUrl, 'customers');
      for (const role of ['viewer', 'engineer']) {
        expectProblem(await post('/customers', { name: 'Not allowed' }, role), 403, 'FORBIDDEN');
        expectProblem(await patch(`/customers/${customer.id}`, { name: 'Not allowed' }, role, 'W/"1"'), 403, 'FORBIDDEN');
      }
      expect(await count(t.db.ownerUrl, 'customers')).toBe(before);
    });

    it('answers 404 for an unknown id and 400 for an id that is not a uuid', async () => {
      const unknown = randomUUID();
      const body = expectProblem(await get(`/customers/${unknown}`), 404, 'NOT_FOUND');
      expect(body.detail).toContain(unknown);
      expect(body.instance).toBe(`/api/v1/customers/${unknown}`);
      expectProblem(await patch(`/customers/${unknown}`, { name: 'x' }, 'dispatcher', 'W/"1"'), 404, 'NOT_FOUND');
      expectProblem(await get('/customers/not-a-uuid'), 400);
      expectProblem(await patch('/customers/42', { name: 'x' }, 'dispatcher', 'W/"1"'), 400);
    });

    it('answers 400 with errors[] for an invalid body', async () => {
      expectValidation(await post('/customers', { name: '', email: 'nope' }), ['name', 'email']);
      expectValidation(await post('/customers', {}), ['name']);
      expectValidation(await patch(`/customers/${customer.id}`, { name: '   ', version: 0 }, 'dispatcher'), ['name', 'version']);
    });
  });

  describe('sites and assets', () => {
    let customerId: string;
    let siteId: string;

    beforeAll(async () => {
      customerId = (await post('/customers', { name: 'Werk Süd' })).body.id;
    });

    it('creates, lists and gets a site', async () => {
      const created = await post('/sites', { customerId, name: 'QC lab', address: 'Hafenstraße 1', region: 'Hamburg', timeZone: 'Europe/Berlin' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        customerId,
        name: 'QC lab',
        address: 'Hafenstraße 1',
        region: 'Hamburg',
        timeZone: 'Europe/Berlin',
        version: 1,
        createdAt: expect.any(String),
      });
      siteId = created.body.id;
      const list = await get(`/sites?customerId=${customerId}`, 'viewer');
      expect(list.status).toBe(200);
      expect(list.body).toEqual([created.body]);
      expect((await get('/sites', 'viewer')).body.length).toBe(13);
      const one = await get(`/sites/${siteId}`, 'engineer');
      expect(one.status).toBe(200);
      expect(one.body).toEqual(created.body);
      expectProblem(await get(`/sites/${randomUUID()}`), 404, 'NOT_FOUND');
      expectProblem(await get('/sites/abc'), 400);
      expectValidation(await get('/sites?customerId=abc'), ['customerId']);
    });

    it('refuses a site with an unknown time zone (400) or for an unknown customer (422)', async () => {
      const before = await count(t.db.ownerUrl, 'sites');
      expectValidation(await post('/sites', { customerId, name: 'Moon base', timeZone: 'Mars/Olympus_Mons' }), ['timeZone']);
      expectValidation(await post('/sites', { customerId: 'x', name: '' }), ['customerId', 'name', 'timeZone']);
      const unknown = expectProblem(await post('/sites', { customerId: randomUUID(), name: 'Ghost', timeZone: 'UTC' }), 422, 'UNPROCESSABLE');
      expectErrorPaths(unknown, ['customerId']);
      expect(await count(t.db.ownerUrl, 'sites')).toBe(before);
    });

    it('creates assets under a site (the customer follows from the site) and lists them', async () => {
      const created = await post('/assets', { siteId, name: 'Cobas 6000', model: 'c501', serialNumber: 'SN-1' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        siteId,
        customerId,
        name: 'Cobas 6000',
        model: 'c501',
        serialNumber: 'SN-1',
        createdAt: expect.any(String),
      });
      expect((await get(`/assets?siteId=${siteId}`, 'viewer')).body).toEqual([created.body]);
      const unknown = expectProblem(await post('/assets', { siteId: randomUUID(), name: 'Ghost' }), 422, 'UNPROCESSABLE');
      expectErrorPaths(unknown, ['siteId']);
      expectValidation(await post('/assets', { siteId, name: '' }), ['name']);
    });

    it('refuses site and asset writes by viewers and engineers', async () => {
      for (const role of ['viewer', 'engineer']) {
        expectProblem(await post('/sites', { customerId, name: 'No', timeZone: 'UTC' }, role), 403, 'FORBIDDEN');
        expectProblem(await post('/assets', { siteId, name: 'No' }, role), 403, 'FORBIDDEN');
      }
    });
  });

  describe('calendars', () => {
    let calendarId: string;

    it('lets managers create, list, get and patch a calendar', async () => {
      const created = await post('/calendars', { name: 'Office hours Hamburg', definition: officeHours() }, 'manager');
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        name: 'Office hours Hamburg',
        definition: officeHours(),
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      calendarId = created.body.id;
      const list = await get('/calendars', 'viewer');
      expect(list.body.length).toBe(3); // two demo calendars + this one
      const one = await get(`/calendars/${calendarId}`, 'engineer');
      expect(one.headers['etag']).toBe('W/"1"');
      expect(one.body).toEqual(created.body);

      // holidays default to none
      const noHolidays = officeHours();
      delete (noHolidays as Partial<typeof noHolidays>).holidays;
      const plain = await post('/calendars', { name: 'No holidays', definition: noHolidays }, 'admin');
      expect(plain.status).toBe(201);
      expect(plain.body.definition.holidays).toEqual([]);
    });

    it('enforces optimistic concurrency on PATCH', async () => {
      await checkConcurrency(`/calendars/${calendarId}`, 'manager', (n) => ({ name: `Office hours ${n}` }), 'name');
      const withDefinition = await get(`/calendars/${calendarId}`);
      const sat: Period[] = [['10:00', '14:00']];
      const res = await patch(`/calendars/${calendarId}`, { definition: officeHours({ week: { ...officeHours().week, sat } }) }, 'admin', withDefinition.headers['etag']);
      expect(res.status).toBe(200);
      expect(res.body.definition.week.sat).toEqual(sat);
    });

    it('refuses an unknown time zone, malformed HH:mm and overlapping periods (400)', async () => {
      const before = await count(t.db.ownerUrl, 'calendars');
      expectValidation(await post('/calendars', { name: 'Bad zone', definition: officeHours({ timeZone: 'Europe/Atlantis' }) }, 'manager'), ['definition.timeZone']);
      const badClock = officeHours();
      badClock.week.mon = [['9:00', '17:00']];
      badClock.week.tue = [['09:00', '25:00']];
      const clockRes = expectValidation(await post('/calendars', { name: 'Bad clock', definition: badClock }, 'manager'), []);
      const clockPaths = (clockRes.errors ?? []).map((e) => e.path);
      expect(clockPaths.some((p) => p.startsWith('definition.week.mon'))).toBe(true);
      expect(clockPaths.some((p) => p.startsWith('definition.week.tue'))).toBe(true);
      const overlapping = officeHours();
      overlapping.week.wed = [['08:00', '12:00'], ['11:00', '15:00']];
      expectValidation(await post('/calendars', { name: 'Overlap', definition: overlapping }, 'manager'), ['definition.week.wed']);
      const backwards = officeHours();
      backwards.week.thu = [['17:00', '09:00']];
      expectValidation(await post('/calendars', { name: 'Backwards', definition: backwards }, 'manager'), ['definition.week.thu.0']);
      expectValidation(await post('/calendars', { name: 'Bad holiday', definition: officeHours({ holidays: ['2030-02-30x'] }) }, 'manager'), ['definition.holidays.0']);
      expectValidation(await post('/calendars', { name: '' }, 'manager'), ['name', 'definition']);
      expect(await count(t.db.ownerUrl, 'calendars')).toBe(before);
    });

    it('refuses a calendar without any working time (422, domain validation), also on PATCH', async () => {
      const before = await count(t.db.ownerUrl, 'calendars');
      const closed = officeHours({ week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } });
      const body = expectProblem(await post('/calendars', { name: 'Always closed', definition: closed }, 'manager'), 422, 'UNPROCESSABLE');
      expectErrorPaths(body, ['definition']);
      expect(await count(t.db.ownerUrl, 'calendars')).toBe(before);

      const current = await get(`/calendars/${calendarId}`);
      expectProblem(await patch(`/calendars/${calendarId}`, { definition: closed }, 'manager', current.headers['etag']), 422, 'UNPROCESSABLE');
      const after = await get(`/calendars/${calendarId}`);
      expect(after.body.version).toBe(current.body.version);
      expect(after.body.definition).toEqual(current.body.definition);
    });

    it('lets only managers and admins write calendars', async () => {
      for (const role of ['dispatcher', 'engineer', 'viewer']) {
        expectProblem(await post('/calendars', { name: 'No', definition: officeHours() }, role), 403, 'FORBIDDEN');
        expectProblem(await patch(`/calendars/${calendarId}`, { name: 'No' }, role, 'W/"1"'), 403, 'FORBIDDEN');
      }
      expectProblem(await get(`/calendars/${randomUUID()}`), 404, 'NOT_FOUND');
      expectProblem(await get('/calendars/zzz'), 400);
    });
  });

  describe('contracts', () => {
    let customerId: string;
    let calendarId: string;
    let contract: { id: string; version: number };

    beforeAll(async () => {
      customerId = (await post('/customers', { name: 'Labor Ost' })).body.id;
      calendarId = (await post('/calendars', { name: 'Contract hours', definition: officeHours() }, 'manager')).body.id;
    });

    it('lets managers create, list, get and patch a contract', async () => {
      const created = await post(
        '/contracts',
        { customerId, name: 'Gold', promiseMinutes: 240, promiseBasis: 'wall', promiseDescription: 'On site within 4 hours', calendarId, validFrom: '2030-01-01', validTo: '2030-12-31' },
        'manager',
      );
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        customerId,
        name: 'Gold',
        promiseMinutes: 240,
        promiseBasis: 'wall',
        promiseDescription: 'On site within 4 hours',
        calendarId,
        validFrom: '2030-01-01',
        validTo: '2030-12-31',
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      contract = created.body;
      expect((await get(`/contracts?customerId=${customerId}`, 'viewer')).body).toEqual([created.body]);
      const one = await get(`/contracts/${contract.id}`, 'engineer');
      expect(one.headers['etag']).toBe('W/"1"');
      expect(one.body).toEqual(created.body);

      // A partial update changes only what it names (the promise basis stays "wall").
      const patched = await patch(`/contracts/${contract.id}`, { name: 'Gold plus' }, 'manager', 'W/"1"');
      expect(patched.status).toBe(200);
      expect(patched.body).toEqual({ ...created.body, name: 'Gold plus', version: 2, updatedAt: expect.any(String) });
    });

    it('enforces optimistic concurrency on PATCH', async () => {
      await checkConcurrency(`/contracts/${contract.id}`, 'admin', (n) => ({ promiseMinutes: 240 + n }), 'promiseMinutes');
    });

    it('refuses references to unknown records and inconsistent dates (422), creating nothing', async () => {
      const before = await count(t.db.ownerUrl, 'contracts');
      const badCalendar = expectProblem(await post('/contracts', { customerId, name: 'X', promiseMinutes: 60, calendarId: randomUUID() }, 'manager'), 422, 'UNPROCESSABLE');
      expectErrorPaths(badCalendar, ['calendarId']);
      const badCustomer = expectProblem(await post('/contracts', { customerId: randomUUID(), name: 'X', promiseMinutes: 60, calendarId }, 'manager'), 422, 'UNPROCESSABLE');
      expectErrorPaths(badCustomer, ['customerId']);
      const backwards = expectProblem(
        await post('/contracts', { customerId, name: 'X', promiseMinutes: 60, calendarId, validFrom: '2030-06-01', validTo: '2030-01-01' }, 'manager'),
        422,
        'UNPROCESSABLE',
      );
      expectErrorPaths(backwards, ['validTo']);
      expect(await count(t.db.ownerUrl, 'contracts')).toBe(before);

      const current = await get(`/contracts/${contract.id}`);
      expectProblem(await patch(`/contracts/${contract.id}`, { calendarId: randomUUID() }, 'manager', current.headers['etag']), 422, 'UNPROCESSABLE');
      expectProblem(await patch(`/contracts/${contract.id}`, { validTo: '2029-01-01' }, 'manager', current.headers['etag']), 422, 'UNPROCESSABLE');
      expect((await get(`/contracts/${contract.id}`)).body).toEqual(current.body);
    });

    it('validates the body (400) and the roles (403)', async () => {
      expectValidation(await post('/contracts', { customerId, name: 'X', promiseMinutes: 0, promiseBasis: 'lunar', calendarId: 'cal' }, 'manager'), [
        'promiseMinutes',
        'promiseBasis',
        'calendarId',
      ]);
      for (const role of ['dispatcher', 'engineer', 'viewer']) {
        expectProblem(await post('/contracts', { customerId, name: 'No', promiseMinutes: 60, calendarId }, role), 403, 'FORBIDDEN');
      }
      expectProblem(await get(`/contracts/${randomUUID()}`), 404, 'NOT_FOUND');
    });
  });

  describe('users', () => {
    it('lets an admin create a user who can then log in', async () => {
      const created = await post('/users', { email: 'New.Engineer@demo.kept.test', name: 'Nora New', role: 'engineer', password: 'a-long-password' }, 'admin');
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        tenantId: expect.any(String),
        email: 'new.engineer@demo.kept.test',
        name: 'Nora New',
        role: 'engineer',
        active: true,
        team: null,
        version: 1,
        createdAt: expect.any(String),
      });
      expect(JSON.stringify(created.body)).not.toMatch(/password|argon/i);
      const login = await t.http().post('/api/v1/auth/login').send({ email: 'new.engineer@demo.kept.test', password: 'a-long-password' });
      expect(login.status).toBe(200);
      expect(login.body.user.id).toBe(created.body.id);
      expect(login.body.organization.name).toBe('Demo Field Service');

      const list = await get('/users', 'manager');
      expect(list.status).toBe(200);
      expect(list.body.map((u: { email: string }) => u.email)).toContain('new.engineer@demo.kept.test');
      const one = await get(`/users/${created.body.id}`, 'manager');
      expect(one.headers['etag']).toBe('W/"1"');
    });

    it('answers 409 for an e-mail that is taken (in any case), creating nothing', async () => {
      const before = await count(t.db.ownerUrl, 'users');
      expectProblem(await post('/users', { email: 'dispatcher@demo.kept.test', name: 'Dup', role: 'viewer', password: 'a-long-password' }, 'admin'), 409, 'CONFLICT');
      expectProblem(await post('/users', { email: 'NEW.ENGINEER@demo.kept.test', name: 'Dup', role: 'viewer', password: 'a-long-password' }, 'admin'), 409, 'CONFLICT');
      expect(await count(t.db.ownerUrl, 'users')).toBe(before);
    });

    it('answers 409, not 500, when two admins create the same e-mail at once', async () => {
      const before = await count(t.db.ownerUrl, 'users');
      const body = { email: 'race@demo.kept.test', name: 'Race', role: 'viewer', password: 'a-long-password' };
      const results = await Promise.all([post('/users', body, 'admin'), post('/users', body, 'admin')]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expectProblem(results.find((r) => r.status === 409)!, 409, 'CONFLICT');
      expect(await count(t.db.ownerUrl, 'users')).toBe(before + 1);
    });

    it('validates the body and lets only admins create users', async () => {
      expectValidation(await post('/users', { email: 'bad', name: '', role: 'owner', password: 'short' }, 'admin'), ['email', 'name', 'role', 'password']);
      expectProblem(await post('/users', { email: 'm@demo.kept.test', name: 'M', role: 'admin', password: 'a-long-password' }, 'manager'), 403, 'FORBIDDEN');
      expectProblem(await get('/users', 'dispatcher'), 403, 'FORBIDDEN');
      expectProblem(await get(`/users/${randomUUID()}`, 'admin'), 404, 'NOT_FOUND');
    });

    it('enforces optimistic concurrency on PATCH', async () => {
      const created = await post('/users', { email: 'patch.me@demo.kept.test', name: 'Pat', role: 'viewer', password: 'a-long-password' }, 'admin');
      await checkConcurrency(`/users/${created.body.id}`, 'admin', (n) => ({ name: `Pat ${n}` }), 'name');
    });
  });
});
