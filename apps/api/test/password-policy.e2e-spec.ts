import { createTestApp, TestApp } from './support/app';
import { expectProblem, expectValidation } from './support/problem';
import { startSmtpCapture, SmtpCapture } from './support/smtp';
import { count, sql } from './support/sql';

/**
 * The password policy (`passwordProblems`, one function) wherever a password is set: creating a user,
 * redeeming a set-password link (invitation or a new organization's admin), changing one's own
 * password and public sign-up. Each refusal is a 422 WEAK_PASSWORD naming the rule broken on the field,
 * and changes nothing. The demo log-ins (set before the policy) keep working.
 */
describe('password policy', () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  let admin: string;
  beforeAll(async () => {
    smtp = await startSmtpCapture();
    t = await createTestApp({ env: { SIGNUP: 'open', SMTP_URL: smtp.url, PUBLIC_URL: 'https://kept.example.com' } });
    admin = await t.login('admin@demo.kept.test');
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  /** The three rules beyond length, for the account `email`: each password breaks exactly one. */
  const weak = (email: string) => [
    [email, 'must not be the e-mail address'],
    ['xxxxxxxxxxxxxxxx', 'must not be one character or a short pattern repeated'],
    ['qwerty123456', 'is a commonly used password'],
  ];

  const create = (email: string, password: string) =>
    t.http().post('/api/v1/users').set('Authorization', admin).send({ email, name: 'Nora New', role: 'engineer', password });

  it('creating a user: refuses short, e-mail, repeated and common passwords with a clear problem, and creates nothing', async () => {
    const before = await count(t.db.ownerUrl, 'users');
    expectValidation(await create('nora@demo.kept.test', 'elevenchars'), ['password']);
    for (const [password, message] of weak('nora.new@demo.kept.test')) {
      const problem = expectProblem(await create('nora.new@demo.kept.test', password), 422, 'WEAK_PASSWORD');
      expect(problem.errors).toEqual([{ path: 'password', message }]);
      expect(problem.detail).toBe(`The password ${message}`);
    }
    expect(await count(t.db.ownerUrl, 'users')).toBe(before);
  });

  it('creating a user: accepts a good password, which then logs in', async () => {
    expect((await create('nora.new@demo.kept.test', 'rivers-of-copper-7')).status).toBe(201);
    expect(await t.login('nora.new@demo.kept.test', 'rivers-of-copper-7')).toMatch(/^Bearer /);
  });

  it('set-password link (invitation): refuses a weak password and leaves the link unused; a good one then works', async () => {
    const email = 'ivo.invited@demo.kept.test';
    const invited = await t.http().post('/api/v1/auth/invitations').set('Authorization', admin).send({ email, name: 'Ivo', role: 'viewer' });
    expect(invited.status).toBe(201);
    const token = /#token=([A-Za-z0-9_-]+)$/.exec(invited.body.link as string)![1];
    const setPassword = (password: string) => t.http().post('/api/v1/auth/set-password').send({ token, password });
    expectValidation(await setPassword('elevenchars'), ['password']);
    for (const [password, message] of weak(email)) {
      const problem = expectProblem(await setPassword(password), 422, 'WEAK_PASSWORD');
      expect(problem.errors).toEqual([{ path: 'password', message }]);
    }
    const [row] = await sql<{ password_hash: string | null }>(t.db.ownerUrl, `SELECT password_hash FROM users WHERE email = $1`, [email]);
    expect(row.password_hash).toBeNull();
    expect(await count(t.db.ownerUrl, 'user_tokens', 'user_id = $1 AND used_at IS NOT NULL', [invited.body.user.id])).toBe(0);
    expect((await setPassword('long-enough-and-mine-4')).status).toBe(200);
  });

  it('changing one’s password: refuses a weak new password (the current one kept, the session alive)', async () => {
    const auth = await t.login('nora.new@demo.kept.test', 'rivers-of-copper-7');
    const change = (newPassword: string) =>
      t.http().post('/api/v1/auth/password').set('Authorization', auth).send({ currentPassword: 'rivers-of-copper-7', newPassword });
    expectValidation(await change('elevenchars'), ['newPassword']);
    for (const [password, message] of weak('nora.new@demo.kept.test')) {
      const problem = expectProblem(await change(password), 422, 'WEAK_PASSWORD');
      expect(problem.errors).toEqual([{ path: 'newPassword', message }]);
    }
    // Nothing changed: the token still works (no session-version bump) and the old password still logs in.
    expect((await t.http().get('/api/v1/auth/me').set('Authorization', auth)).status).toBe(200);
    expect(await t.login('nora.new@demo.kept.test', 'rivers-of-copper-7')).toMatch(/^Bearer /);
    expect((await change('a-better-password-9')).status).toBe(200);
    expect(await t.login('nora.new@demo.kept.test', 'a-better-password-9')).toMatch(/^Bearer /);
  });

  it('public sign-up: refuses a weak password before anything is created or e-mailed', async () => {
    const email = 'sol@sunrise.test';
    const orgs = await count(t.db.ownerUrl, 'organizations');
    const signup = (password: string) =>
      t.http().post('/api/v1/auth/signup').send({ organizationName: 'Sunrise', name: 'Sol', email, password });
    expectValidation(await signup('elevenchars'), ['password']);
    for (const [password, message] of weak(email)) {
      const problem = expectProblem(await signup(password), 422, 'WEAK_PASSWORD');
      expect(problem.errors).toEqual([{ path: 'password', message }]);
    }
    expect(await count(t.db.ownerUrl, 'organizations')).toBe(orgs);
    expect(smtp.messages.filter((m) => JSON.stringify(m.to ?? '').includes(email))).toHaveLength(0);
    expect((await signup('sunrise-over-the-bay')).status).toBe(202);
    expect(await count(t.db.ownerUrl, 'organizations')).toBe(orgs + 1);
  });
});
