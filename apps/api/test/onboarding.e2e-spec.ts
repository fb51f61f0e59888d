// Issue 12, onboarding: an admin invites a user by e-mail (a one-time set-password link that expires,
// e-mailed over the SMTP channel when one is configured); the invitee chooses a password with it and
// is signed in. The link works once, expires, and never revives a deactivated user.
import { createHash } from 'node:crypto';
import { createTestApp, TestApp } from './support/app';
import { expectProblem, expectValidation } from './support/problem';
import { startSmtpCapture, SmtpCapture } from './support/smtp';
import { count, sql } from './support/sql';

describe('invitations and set-password links', () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  let adminAuth: string;
  let n = 0;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    t = await createTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://kept.example.com' } });
    adminAuth = await t.login('admin@demo.kept.test');
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const invite = (body: object, auth = adminAuth) => t.http().post('/api/v1/auth/invitations').set('Authorization', auth).send(body);
  const setPassword = (token: string, password = 'chosen-password-789') => t.http().post('/api/v1/auth/set-password').send({ token, password });
  const tokenOf = (link: string) => /#token=([A-Za-z0-9_-]+)$/.exec(link)![1];
  const next = () => `invitee-${++n}@demo.kept.test`;

  it('invites by e-mail; the invitee cannot log in until choosing a password with the link, which then signs them in', async () => {
    const email = next();
    const res = await invite({ email, name: 'Ina Invitee', role: 'engineer', team: 'North' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ user: { email, name: 'Ina Invitee', role: 'engineer', active: true, team: 'North' }, emailed: true });
    expect(res.body.link).toMatch(/^https:\/\/kept\.example\.com\/set-password#token=[A-Za-z0-9_-]{43}$/);
    const hours = (new Date(res.body.expiresAt).getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(71.9);
    expect(hours).toBeLessThanOrEqual(72);
    const token = tokenOf(res.body.link);
    // Only the hash is stored.
    expect(await count(t.db.ownerUrl, 'user_tokens', 'token_hash = $1', [createHash('sha256').update(token).digest('hex')])).toBe(1);
    expect(await count(t.db.ownerUrl, 'user_tokens', 'token_hash = $1', [token])).toBe(0);

    const mail = await smtp.waitFor((m) => m.subject === 'You are invited to Kept' && (m.text ?? '').includes(res.body.link));
    expect(mail.to).toMatchObject({ text: email });

    expectProblem(await t.http().post('/api/v1/auth/login').send({ email, password: '' }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.http().post('/api/v1/auth/login').send({ email, password: 'anything-at-all' }), 401, 'UNAUTHENTICATED');

    const set = await setPassword(token);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ tokenType: 'Bearer', user: { email, role: 'engineer' } });
    expect(String(set.headers['set-cookie'])).toMatch(/kept_refresh=.*HttpOnly/);
    expect((await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${set.body.accessToken}`)).status).toBe(200);
    expect((await t.http().post('/api/v1/auth/login').send({ email, password: 'chosen-password-789' })).status).toBe(200);

    // The link works once.
    expectProblem(await setPassword(token, 'yet-another-password-1'), 401, 'UNAUTHENTICATED');
    expect((await t.http().post('/api/v1/auth/login').send({ email, password: 'chosen-password-789' })).status).toBe(200);
  });

  it('refuses an expired link, an unknown one, and a link of a user deactivated meanwhile', async () => {
    const expired = await invite({ email: next(), name: 'Late', role: 'viewer' });
    await sql(t.db.ownerUrl, `UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [expired.body.user.id]);
    expectProblem(await setPassword(tokenOf(expired.body.link)), 401, 'UNAUTHENTICATED');

    expectProblem(await setPassword('A'.repeat(43)), 401, 'UNAUTHENTICATED');

    const gone = await invite({ email: next(), name: 'Gone', role: 'viewer' });
    const user = await t.http().get(`/api/v1/users/${gone.body.user.id}`).set('Authorization', adminAuth);
    const off = await t.http().patch(`/api/v1/users/${gone.body.user.id}`).set('Authorization', adminAuth).set('If-Match', `W/"${user.body.version}"`).send({ active: false });
    expect(off.status).toBe(200);
    expectProblem(await setPassword(tokenOf(gone.body.link)), 401, 'UNAUTHENTICATED');
    expect((await sql<{ password_hash: string | null }>(t.db.ownerUrl, `SELECT password_hash FROM users WHERE id = $1`, [gone.body.user.id]))[0].password_hash).toBeNull();
  });

  it('validates, and only an admin may invite; a taken e-mail is a conflict; nothing is created on refusal', async () => {
    const before = await count(t.db.ownerUrl, 'users');
    expectValidation(await invite({ email: 'not-an-email', name: '', role: 'boss' }), ['email', 'name', 'role']);
    expectProblem(await invite({ email: next(), name: 'X', role: 'viewer' }, await t.login('manager@demo.kept.test')), 403, 'FORBIDDEN');
    expectProblem(await invite({ email: 'dispatcher@demo.kept.test', name: 'Dup', role: 'viewer' }), 409, 'CONFLICT');
    expectProblem(await t.http().post('/api/v1/auth/invitations').send({ email: next(), name: 'X', role: 'viewer' }), 401, 'UNAUTHENTICATED');
    expect(await count(t.db.ownerUrl, 'users')).toBe(before);

    const ok = await invite({ email: next(), name: 'Short', role: 'viewer' });
    expectValidation(await setPassword(tokenOf(ok.body.link), 'short'), ['password']);
  });

  it('lists pending invitations; resend gives a new link and the old one stops working; revoke ends the invitation', async () => {
    const list = () => t.http().get('/api/v1/auth/invitations').set('Authorization', adminAuth);
    const email = next();
    const first = await invite({ email, name: 'Pia Pending', role: 'dispatcher' });
    const pending = (await list()).body as { user: { id: string; email: string }; state: string; expiresAt: string; invitedBy: string }[];
    expect(pending.find((p) => p.user.id === first.body.user.id)).toMatchObject({ user: { email }, state: 'pending', expiresAt: first.body.expiresAt, invitedBy: expect.any(String) });
    // Users who have a password are not pending.
    expect(pending.some((p) => p.user.email === 'admin@demo.kept.test')).toBe(false);

    const resent = await t.http().post(`/api/v1/auth/invitations/${first.body.user.id}/resend`).set('Authorization', adminAuth);
    expect(resent.status).toBe(201);
    expect(resent.body.link).not.toBe(first.body.link);
    await smtp.waitFor((m) => (m.text ?? '').includes(resent.body.link));
    expectProblem(await setPassword(tokenOf(first.body.link)), 401, 'UNAUTHENTICATED');

    const expired = await invite({ email: next(), name: 'Eve Expired', role: 'viewer' });
    await sql(t.db.ownerUrl, `UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [expired.body.user.id]);
    expect(((await list()).body as { user: { id: string }; state: string }[]).find((p) => p.user.id === expired.body.user.id)?.state).toBe('expired');

    // Revoke: the link stops working, the invitee is deactivated and no longer pending.
    const revoked = await t.http().delete(`/api/v1/auth/invitations/${first.body.user.id}`).set('Authorization', adminAuth);
    expect(revoked.status).toBe(204);
    expectProblem(await setPassword(tokenOf(resent.body.link)), 401, 'UNAUTHENTICATED');
    expect(((await list()).body as { user: { id: string } }[]).some((p) => p.user.id === first.body.user.id)).toBe(false);
    expect((await t.http().get(`/api/v1/users/${first.body.user.id}`).set('Authorization', adminAuth)).body.active).toBe(false);
    // Nothing left to resend or revoke; a user with a password has no invitation; only admins manage them.
    expectProblem(await t.http().post(`/api/v1/auth/invitations/${first.body.user.id}/resend`).set('Authorization', adminAuth), 404, 'NOT_FOUND');
    const [admin] = await sql<{ id: string }>(t.db.ownerUrl, `SELECT id FROM users WHERE email = 'admin@demo.kept.test'`);
    expectProblem(await t.http().delete(`/api/v1/auth/invitations/${admin.id}`).set('Authorization', adminAuth), 404, 'NOT_FOUND');
    const manager = await t.login('manager@demo.kept.test');
    expectProblem(await t.http().get('/api/v1/auth/invitations').set('Authorization', manager), 403, 'FORBIDDEN');
    expectProblem(await t.http().delete(`/api/v1/auth/invitations/${expired.body.user.id}`).set('Authorization', manager), 403, 'FORBIDDEN');
  });
});
