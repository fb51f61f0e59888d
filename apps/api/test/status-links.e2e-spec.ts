import { createHash } from 'node:crypto';
import { hashPassword } from '../src/common/auth/password';
import { PUBLIC_STATUS_BURST } from '../src/modules/status-links/public-status.controller';
import { createTestApp, TestApp } from './support/app';
import { expectProblem, expectValidation } from './support/problem';
import { count, sql } from './support/sql';

/**
 * Status links end to end: the token is shown once and stored only as its hash, the public view is
 * minimal and answers the same 404 for unknown, revoked and expired links, tenants are isolated,
 * only staff make links, and the public route is not indexed, leaks no referrer and is rate limited.
 */
describe('status links', () => {
  let t: TestApp;
  const auth: Record<string, string> = {};
  let caseId: string;
  let caseReference: string;

  const post = (path: string, body: unknown, who = 'dispatcher') =>
    t
      .http()
      .post(`/api/v1${path}`)
      .set('Authorization', auth[who])
      .send(body as object);
  const get = (path: string, who = 'dispatcher') => t.http().get(`/api/v1${path}`).set('Authorization', auth[who]);
  const viewPublic = (token: string) => t.http().get(`/api/v1/public/status/${token}`);
  const tokenOf = (url: string) => url.split('/s/')[1];

  beforeAll(async () => {
    t = await createTestApp();
    for (const role of ['dispatcher', 'viewer']) auth[role] = await t.login(`${role}@demo.kept.test`);
    const customerId = (await post('/customers', { name: 'Praxis am Markt' })).body.id;
    const siteId = (
      await post('/sites', {
        customerId,
        name: 'Lab',
        timeZone: 'Europe/Berlin',
      })
    ).body.id;
    const now = Date.now();
    const res = await post('/cases', {
      customerId,
      siteId,
      category: 'status-link-test',
      priority: 'normal',
      summary: 'Analyser shows error 42',
      openedAt: new Date(now - 3_600_000).toISOString(),
      requiredAt: new Date(now + 86_400_000).toISOString(),
      promisedAt: new Date(now + 43_200_000).toISOString(),
    });
    expect(res.status).toBe(201);
    caseId = res.body.id;
    caseReference = res.body.reference;

    // A second tenant with its own dispatcher.
    const [org] = await sql<{ id: string }>(
      t.db.ownerUrl,
      `INSERT INTO organizations (name, slug) VALUES ('Other Service GmbH', 'other') RETURNING id`,
    );
    await sql(
      t.db.ownerUrl,
      `INSERT INTO users (tenant_id, email, name, role, password_hash) VALUES ($1, 'dispatcher@other.kept.test', 'Otto Other', 'dispatcher', $2)`,
      [org.id, await hashPassword('other-password')],
    );
    auth.other = await t.login('dispatcher@other.kept.test', 'other-password');
  });
  afterAll(() => t.close());

  it('creates a link (30 days by default), shows the minimal public view and records the view', async () => {
    const before = Date.now();
    const res = await post(`/cases/${caseId}/status-links`, {});
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      url: expect.stringMatching(/\/s\/[A-Za-z0-9_-]{43}$/),
      expiresAt: expect.any(String),
    });
    const days = (Date.parse(res.body.expiresAt) - before) / 86_400_000;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThan(30.01);

    const view = await viewPublic(tokenOf(res.body.url));
    expect(view.status).toBe(200);
    expect(Object.keys(view.body).sort()).toEqual(
      [
        'actions',
        'branding',
        'context',
        'currentStep',
        'engineer',
        'fixedAt',
        'history',
        'language',
        'openedAt',
        'organization',
        'promise',
        'promisedAt',
        'proposal',
        'reference',
        'requiredAt',
        'satisfiedAt',
        'status',
        'summary',
        'survey',
        'timeZone',
      ].sort(),
    );
    expect(view.body).toMatchObject({
      reference: caseReference,
      summary: 'Analyser shows error 42',
      status: 'open',
      timeZone: 'Europe/Berlin',
      organization: 'Demo Field Service',
      fixedAt: null,
      satisfiedAt: null,
    });
    expect(JSON.stringify(view.body)).not.toMatch(/Praxis|Dana|Dispatcher|ledger/);
    expect(view.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(view.headers['referrer-policy']).toBe('no-referrer');
    expect(view.headers['cache-control']).toBe('no-store');

    const list = await get(`/cases/${caseId}/status-links`, 'viewer');
    expect(list.status).toBe(200);
    const item = list.body.items.find((i: { id: string }) => i.id === res.body.id);
    expect(item).toEqual({
      id: res.body.id,
      createdAt: expect.any(String),
      expiresAt: res.body.expiresAt,
      revokedAt: null,
      lastViewedAt: expect.any(String),
      viewCount: 1,
    });
    expect(JSON.stringify(list.body)).not.toContain(tokenOf(res.body.url));
  });

  it('stores only the SHA-256 of the token, never the token', async () => {
    const res = await post(`/cases/${caseId}/status-links`, {
      expiresInDays: 7,
    });
    expect(res.status).toBe(201);
    const token = tokenOf(res.body.url);
    const [row] = await sql<{
      token_hash: Buffer;
      expires_at: Date;
      created_at: Date;
    }>(t.db.ownerUrl, `SELECT * FROM status_links WHERE id = $1`, [res.body.id]);
    expect(row.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    expect(Math.round((row.expires_at.getTime() - row.created_at.getTime()) / 86_400_000)).toBe(7);
    const [dump] = await sql<{ text: string }>(
      t.db.ownerUrl,
      `SELECT string_agg(l::text, ' ') AS text FROM status_links l`,
    );
    expect(dump.text).not.toContain(token);
    expect(dump.text).not.toContain(Buffer.from(token).toString('hex'));
  });

  it('answers the same 404 problem for unknown, malformed, revoked and expired links (with noindex headers)', async () => {
    const revoked = await post(`/cases/${caseId}/status-links`, {});
    const revokeRes = await post(`/status-links/${revoked.body.id}/revoke`, {});
    expect(revokeRes.status).toBe(200);
    expect(revokeRes.body.revokedAt).toEqual(expect.any(String));
    const expired = await post(`/cases/${caseId}/status-links`, {});
    await sql(
      t.db.ownerUrl,
      `UPDATE status_links SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE id = $1`,
      [expired.body.id],
    );

    const details = new Set<string>();
    for (const token of [tokenOf(revoked.body.url), tokenOf(expired.body.url), 'A'.repeat(43), 'not-a-token']) {
      const res = await viewPublic(token);
      const body = expectProblem(res, 404, 'STATUS_LINK_NOT_FOUND');
      details.add(`${body.title}|${body.detail}`);
      expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-store');
    }
    expect(details.size).toBe(1);
    // A refused view records nothing.
    const [r] = await sql<{ view_count: number }>(t.db.ownerUrl, `SELECT view_count FROM status_links WHERE id = $1`, [
      revoked.body.id,
    ]);
    expect(r.view_count).toBe(0);
  });

  it('keeps tenants apart: another tenant cannot list, create or revoke (404)', async () => {
    const link = await post(`/cases/${caseId}/status-links`, {});
    expectProblem(await get(`/cases/${caseId}/status-links`, 'other'), 404, 'NOT_FOUND');
    expectProblem(await post(`/cases/${caseId}/status-links`, {}, 'other'), 404, 'NOT_FOUND');
    expectProblem(await post(`/status-links/${link.body.id}/revoke`, {}, 'other'), 404, 'NOT_FOUND');
    const [row] = await sql<{ revoked_at: Date | null }>(
      t.db.ownerUrl,
      `SELECT revoked_at FROM status_links WHERE id = $1`,
      [link.body.id],
    );
    expect(row.revoked_at).toBeNull();
  });

  it('lets only staff make or revoke links: a viewer gets 403; no token, no entry (401)', async () => {
    const before = await count(t.db.ownerUrl, 'status_links');
    expectProblem(await post(`/cases/${caseId}/status-links`, {}, 'viewer'), 403, 'FORBIDDEN');
    expectProblem(await t.http().post(`/api/v1/cases/${caseId}/status-links`).send({}), 401, 'UNAUTHENTICATED');
    expect(await count(t.db.ownerUrl, 'status_links')).toBe(before);
  });

  it('refuses a bad expiresInDays with a 400 problem and changes nothing', async () => {
    const before = await count(t.db.ownerUrl, 'status_links');
    for (const expiresInDays of [0, 91, 1.5, '7', -3]) {
      expectValidation(await post(`/cases/${caseId}/status-links`, { expiresInDays }), ['expiresInDays']);
    }
    expectProblem(await post(`/cases/not-a-uuid/status-links`, {}), 400, 'VALIDATION_FAILED');
    expect(await count(t.db.ownerUrl, 'status_links')).toBe(before);
  });

  it('creates one link for a repeated Idempotency-Key, but never replays its token (409 naming the link)', async () => {
    const before = await count(t.db.ownerUrl, 'status_links');
    const send = () =>
      post(`/cases/${caseId}/status-links`, { expiresInDays: 3 }).set('Idempotency-Key', 'status-link-1');
    const a = await send();
    const b = await send();
    expect(a.status).toBe(201);
    expect(expectProblem(b, 409, 'CONFLICT').detail).toContain(a.body.id);
    expect(JSON.stringify(b.body)).not.toContain(a.body.url.split('/s/')[1]);
    expect(await count(t.db.ownerUrl, 'status_links')).toBe(before + 1);
  });

  it('rate limits the public route per IP: 429 problem+json after the burst', async () => {
    const link = await post(`/cases/${caseId}/status-links`, {});
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof viewPublic>> | undefined;
    for (let i = 0; i < PUBLIC_STATUS_BURST + 5 && !limited; i++) {
      const res = await viewPublic(tokenOf(link.body.url));
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(limited).toBeDefined();
    expectProblem(limited!, 429, 'STATUS_LINK_RATE_LIMITED');
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited!.headers['x-robots-tag']).toBe('noindex, nofollow');
  });
});
