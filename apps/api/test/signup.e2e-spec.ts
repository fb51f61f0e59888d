// Issue 12, onboarding: optional public sign-up (SIGNUP=open|invite|off, default off). An open sign-up
// creates an organization and its admin, who stays inactive until the e-mail address is confirmed with
// a one-time link sent over the SMTP channel; a known address gets the same answer and nothing is created.
import { createHash } from 'node:crypto';
import { createTestApp, TestApp } from './support/app';
import { expectProblem, expectValidation } from './support/problem';
import { startSmtpCapture, SmtpCapture } from './support/smtp';
import { count, sql } from './support/sql';

const body = (over: Record<string, unknown> = {}) => ({
  organizationName: 'Sunrise Lab Service',
  name: 'Sam Sunrise',
  email: 'sam@sunrise.test',
  password: 'sunrise-password-1',
  ...over,
});

describe('public sign-up, SIGNUP=open', () => {
  let t: TestApp;
  let smtp: SmtpCapture;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    t = await createTestApp({ env: { SIGNUP: 'open', SMTP_URL: smtp.url, PUBLIC_URL: 'https://kept.example.com' } });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const linkIn = (text: string) => /https:\/\/kept\.example\.com\/verify-email#token=([A-Za-z0-9_-]{43})/.exec(text);

  it('creates the organization and an inactive admin, e-mails a one-time link, and activates the admin with it', async () => {
    expect((await t.http().get('/api/v1/auth/signup')).body).toEqual({ signup: 'open' });
    const res = await t.http().post('/api/v1/auth/signup').send(body());
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'verification_sent' });

    const [org] = await sql<{ id: string; slug: string }>(t.db.ownerUrl, `SELECT id, slug FROM organizations WHERE name = 'Sunrise Lab Service'`);
    expect(org.slug).toMatch(/^sunrise-lab-service-[0-9a-f]{6}$/);
    const [user] = await sql<{ role: string; active: boolean; tenant_id: string }>(t.db.ownerUrl, `SELECT role, active, tenant_id FROM users WHERE email = 'sam@sunrise.test'`);
    expect(user).toEqual({ role: 'admin', active: false, tenant_id: org.id });
    // Not before the address is confirmed.
    expectProblem(await t.http().post('/api/v1/auth/login').send({ email: 'sam@sunrise.test', password: 'sunrise-password-1' }), 401, 'UNAUTHENTICATED');

    const mail = await smtp.waitFor((m) => m.subject === 'Confirm your e-mail address for Kept');
    expect(mail.to).toMatchObject({ text: 'sam@sunrise.test' });
    const token = linkIn(mail.text ?? '')![1];
    expect(await count(t.db.ownerUrl, 'user_tokens', 'token_hash = $1', [createHash('sha256').update(token).digest('hex')])).toBe(1);

    const verified = await t.http().post('/api/v1/auth/verify-email').send({ token });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ user: { email: 'sam@sunrise.test', role: 'admin', active: true }, organization: { id: org.id, name: 'Sunrise Lab Service' } });
    const me = await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${verified.body.accessToken}`);
    expect(me.status).toBe(200);
    expect((await t.http().post('/api/v1/auth/login').send({ email: 'sam@sunrise.test', password: 'sunrise-password-1' })).status).toBe(200);
    // Once only; and a verification link is not a set-password link.
    expectProblem(await t.http().post('/api/v1/auth/verify-email').send({ token }), 401, 'UNAUTHENTICATED');
    expectProblem(await t.http().post('/api/v1/auth/set-password').send({ token, password: 'another-password-9' }), 401, 'UNAUTHENTICATED');
  });

  it('answers a known address exactly like a new one, creating and sending nothing', async () => {
    const orgs = await count(t.db.ownerUrl, 'organizations');
    const mails = smtp.messages.length;
    const res = await t.http().post('/api/v1/auth/signup').send(body({ email: 'Dispatcher@demo.kept.test', organizationName: 'Squatter' }));
    expect(res.status).toBe(202);
    expect(res.body).toEqual((await t.http().post('/api/v1/auth/signup').send(body({ email: 'fresh@sunrise.test', organizationName: 'Fresh' }))).body);
    await smtp.waitFor((m) => (m.to as { text?: string } | undefined)?.text === 'fresh@sunrise.test');
    expect(await count(t.db.ownerUrl, 'organizations')).toBe(orgs + 1);
    expect(smtp.messages.length).toBe(mails + 1);
    expect(await count(t.db.ownerUrl, 'organizations', `name = 'Squatter'`)).toBe(0);
  });

  it('refuses an expired link and validates the request', async () => {
    await t.http().post('/api/v1/auth/signup').send(body({ email: 'late@sunrise.test', organizationName: 'Late Org' }));
    const mail = await smtp.waitFor((m) => (m.to as { text?: string } | undefined)?.text === 'late@sunrise.test');
    await sql(t.db.ownerUrl, `UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE purpose = 'verify_email'`);
    expectProblem(await t.http().post('/api/v1/auth/verify-email').send({ token: linkIn(mail.text ?? '')![1] }), 401, 'UNAUTHENTICATED');
    const orgs = await count(t.db.ownerUrl, 'organizations');
    expectValidation(await t.http().post('/api/v1/auth/signup').send({ organizationName: '', name: 'x', email: 'nope', password: 'short' }), ['organizationName', 'email', 'password']);
    expect(await count(t.db.ownerUrl, 'organizations')).toBe(orgs);
  });
});

describe('public sign-up, default (off)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demo: false });
  });
  afterAll(() => t.close());

  it('is off unless turned on: 403 problem+json, nothing created', async () => {
    expect((await t.http().get('/api/v1/auth/signup')).body).toEqual({ signup: 'off' });
    expectProblem(await t.http().post('/api/v1/auth/signup').send(body()), 403, 'SIGNUP_CLOSED');
    expect(await count(t.db.ownerUrl, 'organizations')).toBe(0);
  });
});
