import { createTestApp, TestApp } from './support/app';
import { expectProblem } from './support/problem';
import { startSmtpCapture, SmtpCapture } from './support/smtp';
import { sql } from './support/sql';

/**
 * Every unauthenticated POST is throttled like log-in (the same @nestjs/throttler guard and PostgreSQL
 * store): refresh, log-out, set-password (the invitation link), verify-email per client address, sign-up
 * per client and per account. Over the limit: 429 problem+json with Retry-After, whatever the body.
 * (Log-in: login-throttle.e2e-spec.ts; public status links: status-links.e2e-spec.ts.)
 */
describe('throttling of the public auth routes', () => {
  const env = { LOGIN_LIMIT_PER_ACCOUNT: '2', LOGIN_LIMIT_PER_CLIENT: '3', LOGIN_LIMIT_WINDOW_SECONDS: '60', TRUST_PROXY: 'loopback' };
  let t: TestApp;
  let smtp: SmtpCapture;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    t = await createTestApp({ env: { ...env, SIGNUP: 'open', SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const post = (path: string, client: string, body: object = {}) =>
    t.http().post(`/api/v1/auth/${path}`).set('X-Forwarded-For', client).send(body);

  const token = 'A'.repeat(43);
  const routes: [string, object][] = [
    ['refresh', {}],
    ['logout', {}],
    ['set-password', { token, password: 'a-good-long-password' }],
    ['verify-email', { token }],
  ];

  it.each(routes)('POST /auth/%s: a client over its limit gets 429 with Retry-After; other clients do not', async (path, body) => {
    const first = await post(path, '203.0.113.10', body);
    expect(first.status).not.toBe(429);
    for (let i = 1; i < 3; i++) expect((await post(path, '203.0.113.10', body)).status).toBe(first.status);
    const blocked = await post(path, '203.0.113.10', body);
    const problem = expectProblem(blocked, 429, 'TOO_MANY_REQUESTS');
    expect(problem.detail).toMatch(/^Too many requests; try again in \d+ s$/);
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another client address is not affected.
    expect((await post(path, '198.51.100.20', body)).status).toBe(first.status);
  });

  it('POST /auth/signup: throttled per account (from any address) and per client; nothing is created when refused', async () => {
    const body = (email: string) => ({ organizationName: 'Throttle Test', name: 'Tess', email, password: 'a-good-long-password' });
    expect((await post('signup', '203.0.113.30', body('tess@throttle.test'))).status).toBe(202);
    expect((await post('signup', '203.0.113.31', body('tess@throttle.test'))).status).toBe(202);
    const [{ n: before }] = await sql<{ n: number }>(t.db.ownerUrl, `SELECT count(*)::int AS n FROM organizations`);
    // Third attempt for the same address, from a third client: blocked by the account throttler.
    const blocked = await post('signup', '203.0.113.32', body('TESS@throttle.test'));
    expectProblem(blocked, 429, 'TOO_MANY_REQUESTS');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Per client: a fourth sign-up from one address, each for a new account, is refused too.
    for (let i = 0; i < 3; i++) expect((await post('signup', '203.0.113.40', body(`t${i}@throttle.test`))).status).toBe(202);
    const [{ n: afterThree }] = await sql<{ n: number }>(t.db.ownerUrl, `SELECT count(*)::int AS n FROM organizations`);
    expectProblem(await post('signup', '203.0.113.40', body('t9@throttle.test')), 429, 'TOO_MANY_REQUESTS');
    const [{ n: after }] = await sql<{ n: number }>(t.db.ownerUrl, `SELECT count(*)::int AS n FROM organizations`);
    expect(afterThree).toBe(before + 3);
    expect(after).toBe(afterThree);
  });
});
