// Issue 12, item 2: rotating, revocable refresh tokens for the web app, stored hashed with a family id,
// delivered as an httpOnly SameSite=Strict cookie on /api/v1/auth only. Reusing a rotated token revokes
// its family; log-out ends one log-in, "log out everywhere" all of them.
import { createHash } from 'node:crypto';
import { createTestApp, TestApp } from './support/app';
import { expectProblem } from './support/problem';
import { sql } from './support/sql';

const PASSWORD = 'a-long-password-123';

/** The refresh cookie of a response: its value and attributes. */
function refreshCookie(res: { headers: Record<string, unknown> }): { value: string; attrs: string[] } {
  const raw = ([] as string[]).concat((res.headers['set-cookie'] as string[] | string | undefined) ?? []);
  const cookie = raw.find((c) => c.startsWith('kept_refresh='));
  if (!cookie) throw new Error(`no kept_refresh cookie in ${JSON.stringify(raw)}`);
  const [pair, ...attrs] = cookie.split(';').map((p) => p.trim());
  return { value: pair.slice('kept_refresh='.length), attrs };
}

describe('refresh tokens', () => {
  let t: TestApp;
  let adminAuth: string;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp();
    adminAuth = await t.login('admin@demo.kept.test');
  });
  afterAll(() => t.close());

  async function newUser(role = 'dispatcher'): Promise<{ id: string; email: string; version: number }> {
    n += 1;
    const email = `refresh-${n}@demo.kept.test`;
    const res = await t.http().post('/api/v1/users').set('Authorization', adminAuth).send({ email, name: `Refresh ${n}`, role, password: PASSWORD });
    expect(res.status).toBe(201);
    return { id: res.body.id, email, version: res.body.version };
  }
  const login = async (email: string) => {
    const res = await t.http().post('/api/v1/auth/login').send({ email, password: PASSWORD });
    expect(res.status).toBe(200);
    return { access: `Bearer ${res.body.accessToken}`, refresh: refreshCookie(res).value, res };
  };
  const refresh = (token?: string) => {
    const req = t.http().post('/api/v1/auth/refresh');
    return token ? req.set('Cookie', `other=1; kept_refresh=${token}`) : req;
  };
  const liveTokens = async (userId: string) =>
    (await sql<{ n: number }>(t.db.ownerUrl, `SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL AND used_at IS NULL`, [userId]))[0].n;

  it('log-in sets an httpOnly, SameSite=Strict cookie scoped to /api/v1/auth, stored only as a hash', async () => {
    const u = await newUser();
    const { refresh: token, res } = await login(u.email);
    const { attrs } = refreshCookie(res);
    expect(attrs).toEqual(expect.arrayContaining(['Path=/api/v1/auth', 'HttpOnly', 'SameSite=Strict']));
    expect(attrs.some((a) => /^Max-Age=\d+$/.test(a))).toBe(true);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers['cache-control']).toBe('no-store');
    const rows = await sql<{ token_hash: string }>(t.db.ownerUrl, `SELECT token_hash FROM refresh_tokens WHERE user_id = $1`, [u.id]);
    expect(rows).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex') }]);
    expect(JSON.stringify(res.body)).not.toContain(token);
  });

  it('rotates: a refresh returns a working access token and a new cookie, and the old one is spent', async () => {
    const u = await newUser();
    const first = await login(u.email);
    const res = await refresh(first.refresh);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { id: u.id } });
    const next = refreshCookie(res).value;
    expect(next).not.toBe(first.refresh);
    expect((await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`)).status).toBe(200);
    // The next rotation works with the new token.
    expect((await refresh(next)).status).toBe(200);
  });

  it('reuse of a rotated token (after the grace for racing tabs) revokes the whole family', async () => {
    const u = await newUser();
    const first = await login(u.email);
    const second = refreshCookie(await refresh(first.refresh)).value;
    // Within seconds a second use is taken for two tabs racing: refused, family kept.
    expectProblem(await refresh(first.refresh), 401, 'UNAUTHENTICATED');
    // Later, it is a stolen token being replayed: the family (including the live `second`) is revoked.
    await sql(t.db.ownerUrl, `UPDATE refresh_tokens SET used_at = used_at - interval '1 minute' WHERE user_id = $1 AND used_at IS NOT NULL`, [u.id]);
    const reused = expectProblem(await refresh(first.refresh), 401, 'UNAUTHENTICATED');
    expect(reused.detail).toMatch(/already used/);
    expectProblem(await refresh(second), 401, 'UNAUTHENTICATED');
    // Another log-in (another family) of the same user is not affected.
    const other = await login(u.email);
    expect((await refresh(other.refresh)).status).toBe(200);
  });

  it('answers 401 problem+json without a cookie, for an unknown token and for an expired one', async () => {
    expectProblem(await refresh(), 401, 'UNAUTHENTICATED');
    expectProblem(await refresh('x'.repeat(43)), 401, 'UNAUTHENTICATED');
    const u = await newUser();
    const { refresh: token } = await login(u.email);
    await sql(t.db.ownerUrl, `UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [u.id]);
    expectProblem(await refresh(token), 401, 'UNAUTHENTICATED');
  });

  it('log-out ends this log-in only and clears the cookie', async () => {
    const u = await newUser();
    const here = await login(u.email);
    const there = await login(u.email);
    const out = await t.http().post('/api/v1/auth/logout').set('Cookie', `kept_refresh=${here.refresh}`);
    expect(out.status).toBe(204);
    const cleared = refreshCookie(out);
    expect(cleared.value).toBe('');
    expect(cleared.attrs).toEqual(expect.arrayContaining(['Path=/api/v1/auth', expect.stringMatching(/^Expires=Thu, 01 Jan 1970/)]));
    expectProblem(await refresh(here.refresh), 401, 'UNAUTHENTICATED');
    expect((await refresh(there.refresh)).status).toBe(200);
    // Without a cookie log-out is a no-op, not an error.
    expect((await t.http().post('/api/v1/auth/logout')).status).toBe(204);
  });

  it('"log out everywhere" revokes every refresh token of the user', async () => {
    const u = await newUser();
    const a = await login(u.email);
    const b = await login(u.email);
    expect(await liveTokens(u.id)).toBe(2);
    expect((await t.http().post('/api/v1/auth/logout-all').set('Authorization', a.access)).status).toBe(204);
    expect(await liveTokens(u.id)).toBe(0);
    expectProblem(await refresh(a.refresh), 401, 'UNAUTHENTICATED');
    expectProblem(await refresh(b.refresh), 401, 'UNAUTHENTICATED');
    expectProblem(await t.http().post('/api/v1/auth/logout-all'), 401, 'UNAUTHENTICATED');
  });

  it('deactivation revokes the refresh tokens; a role change keeps them and the next access token has the new role', async () => {
    const demoted = await newUser('manager');
    const d = await login(demoted.email);
    const patch = await t.http().patch(`/api/v1/users/${demoted.id}`).set('Authorization', adminAuth).set('If-Match', `W/"${demoted.version}"`).send({ role: 'viewer' });
    expect(patch.status).toBe(200);
    expectProblem(await t.http().get('/api/v1/webhooks').set('Authorization', d.access), 401, 'UNAUTHENTICATED');
    const renewed = await refresh(d.refresh);
    expect(renewed.status).toBe(200);
    expect(renewed.body.user.role).toBe('viewer');
    expectProblem(await t.http().get('/api/v1/webhooks').set('Authorization', `Bearer ${renewed.body.accessToken}`), 403, 'FORBIDDEN');

    const gone = await newUser();
    const g = await login(gone.email);
    const off = await t.http().patch(`/api/v1/users/${gone.id}`).set('Authorization', adminAuth).set('If-Match', `W/"${gone.version}"`).send({ active: false });
    expect(off.status).toBe(200);
    expect(await liveTokens(gone.id)).toBe(0);
    expectProblem(await refresh(g.refresh), 401, 'UNAUTHENTICATED');
  });
});
