import { createHash, randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { expectProblem, expectValidation } from './support/problem';
import { createTestApp, TestApp } from './support/app';
import { sql } from './support/sql';

const DEMO_ORG = 'Demo Field Service';
const ADMIN = 'admin@demo.kept.test';
/**
 * The only routes without credentials: log-in, health, the customer's status page (its token is the
 * credential), and the refresh-token cookie's routes and the one-time set-password link (the cookie or
 * the link's token is the credential).
 */
const PUBLIC_ROUTES = new Set([
  'POST /api/v1/auth/login',
  'GET /api/v1/health',
  // The probes (docs/operations.md): no tenant data, and orchestrators send no credentials.
  'GET /api/v1/health/live',
  'GET /api/v1/health/ready',
  'GET /api/v1/public/status/{token}',
  'POST /api/v1/auth/refresh',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/set-password',
  'GET /api/v1/auth/signup',
  'POST /api/v1/auth/signup',
  'POST /api/v1/auth/verify-email',
  // The customer's actions through her status link (the token is the capability).
  ...['proposal/accept', 'proposal/decline', 'satisfied', 'not-fixed', 'survey'].map((a) => `POST /api/v1/public/status/{token}/${a}`),
  // The customer's unsubscribe link from an e-mail (the signed token is the capability) and the tenant's logo her page shows.
  'POST /api/v1/public/unsubscribe/{token}',
  'GET /api/v1/public/brand/{organizationId}/logo',
]);
const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('authentication and authorization', () => {
  let t: TestApp;
  let adminAuth: string;

  beforeAll(async () => {
    t = await createTestApp();
    adminAuth = await t.login(ADMIN);
  });
  afterAll(() => t.close());

  describe('POST /auth/login', () => {
    it('exchanges e-mail and password for an access token, the user and the organization', async () => {
      const res = await t.http().post('/api/v1/auth/login').send({ email: ADMIN, password: 'kept-demo' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        tokenType: 'Bearer',
        expiresIn: 900,
        user: {
          id: expect.any(String),
          tenantId: expect.any(String),
          email: ADMIN,
          name: 'Ada Admin',
          role: 'admin',
          active: true,
          team: null,
          createdAt: expect.any(String),
        },
        organization: { id: expect.any(String), name: DEMO_ORG },
      });
      expect(res.body.organization.id).toBe(res.body.user.tenantId);
      expect(JSON.stringify(res.body)).not.toMatch(/argon2|password/i);

      const me = await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`);
      expect(me.status).toBe(200);
    });

    it('treats the e-mail case-insensitively', async () => {
      const res = await t.http().post('/api/v1/auth/login').send({ email: 'Dispatcher@Demo.Kept.Test', password: 'kept-demo' });
      expect(res.status).toBe(200);
      expect(res.body.user.role).toBe('dispatcher');
    });

    it('answers 401 for a wrong password and for an unknown e-mail, with the same detail', async () => {
      const wrong = await t.http().post('/api/v1/auth/login').send({ email: ADMIN, password: 'not-the-password' });
      const unknown = await t.http().post('/api/v1/auth/login').send({ email: 'nobody@demo.kept.test', password: 'kept-demo' });
      const a = expectProblem(wrong, 401, 'UNAUTHENTICATED');
      const b = expectProblem(unknown, 401, 'UNAUTHENTICATED');
      expect(a.detail).toBe(b.detail);
      expect(a.instance).toBe('/api/v1/auth/login');
      expect(wrong.body.accessToken).toBeUndefined();
    });

    it('answers 400 with errors[] for a malformed body', async () => {
      expectValidation(await t.http().post('/api/v1/auth/login').send({ email: 'not-an-e-mail', password: '' }), ['email', 'password']);
      expectValidation(await t.http().post('/api/v1/auth/login').send({}), ['email', 'password']);
      expectValidation(await t.http().post('/api/v1/auth/login').send({ email: ADMIN, password: 42 }), ['password']);
    });

    it('answers 400 problem+json for a body that is not JSON', async () => {
      const res = await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"email": ');
      expectProblem(res, 400, 'MALFORMED_REQUEST');
    });

    it('answers 413 problem+json for a body over the size limit', async () => {
      const res = await t.http().post('/api/v1/auth/login').send({ email: ADMIN, password: 'x'.repeat(1_100_000) });
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('refuses a deactivated user', async () => {
      const [viewer] = await sql<{ id: string }>(t.db.ownerUrl, `SELECT id FROM users WHERE email = 'viewer@demo.kept.test'`);
      const user = await t.http().get(`/api/v1/users/${viewer.id}`).set('Authorization', adminAuth);
      expect(user.status).toBe(200);
      const patch = await t.http()
        .patch(`/api/v1/users/${viewer.id}`)
        .set('Authorization', adminAuth)
        .set('If-Match', user.headers['etag'])
        .send({ active: false });
      expect(patch.status).toBe(200);
      expect(patch.body.active).toBe(false);
      expectProblem(await t.http().post('/api/v1/auth/login').send({ email: 'viewer@demo.kept.test', password: 'kept-demo' }), 401, 'UNAUTHENTICATED');
      const back = await t.http()
        .patch(`/api/v1/users/${viewer.id}`)
        .set('Authorization', adminAuth)
        .set('If-Match', patch.headers['etag'])
        .send({ active: true });
      expect(back.status).toBe(200);
      await t.login('viewer@demo.kept.test');
    });
  });

  describe('every route but log-in and health needs credentials', () => {
    let routes: { method: string; path: string; url: string }[];

    beforeAll(async () => {
      const doc = await t.http().get('/api/docs/openapi.json');
      expect(doc.status).toBe(200);
      routes = [];
      for (const [path, item] of Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)) {
        for (const method of Object.keys(item).filter((m) => HTTP_METHODS.includes(m))) {
          routes.push({ method, path, url: path.replace(/\{[^}]+\}/g, () => randomUUID()) });
        }
      }
    });

    it('finds the routes in the OpenAPI document', () => {
      const names = routes.map((r) => `${r.method.toUpperCase()} ${r.path}`);
      // A sanity check that the enumeration works, not the list of routes (new routes join automatically).
      expect(names).toEqual(
        expect.arrayContaining([
          'POST /api/v1/auth/login',
          'GET /api/v1/health',
          'GET /api/v1/auth/me',
          'POST /api/v1/cases',
          'GET /api/v1/cases/{id}',
          'POST /api/v1/cases/{id}/promise',
          'POST /api/v1/api-keys',
          'PATCH /api/v1/customers/{id}',
        ]),
      );
      expect(names.every((n) => / \/api\/v1\//.test(n))).toBe(true);
      expect(routes.length).toBeGreaterThanOrEqual(30);
    });

    const protectedRoutes = () => routes.filter((r) => !PUBLIC_ROUTES.has(`${r.method.toUpperCase()} ${r.path}`));
    const call = (r: { method: string; url: string }) => {
      const req = t.http()[r.method as 'get'](r.url);
      return r.method === 'get' || r.method === 'delete' ? req : req.send({});
    };

    it('answers 401 problem+json without credentials', async () => {
      const failures: string[] = [];
      for (const r of protectedRoutes()) {
        const res = await call(r);
        if (res.status !== 401) failures.push(`${r.method.toUpperCase()} ${r.path} → ${res.status}`);
        else expectProblem(res, 401, 'UNAUTHENTICATED');
      }
      expect(failures).toEqual([]);
    });

    it('answers 401 for a garbage bearer token and for a garbage API key', async () => {
      const failures: string[] = [];
      for (const r of protectedRoutes()) {
        for (const [header, value] of [
          ['Authorization', 'Bearer not.a.token'],
          ['Authorization', `Bearer kept_abcdefghijkl_${'x'.repeat(43)}`],
          ['X-API-Key', `kept_abcdefghijkl_${'x'.repeat(43)}`],
          ['Authorization', 'Basic YWRtaW46a2VwdC1kZW1v'],
        ]) {
          const res = await call(r).set(header, value);
          if (res.status !== 401) failures.push(`${r.method.toUpperCase()} ${r.path} with ${header}: ${value} → ${res.status}`);
        }
      }
      expect(failures).toEqual([]);
    });

    it('keeps log-in, health and the status page public', async () => {
      expect((await t.http().get('/api/v1/health')).status).toBe(200);
      expect((await t.http().get('/api/v1/health')).body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
      expect((await t.http().get('/api/v1/health/live')).status).toBe(200);
      expect((await t.http().get('/api/v1/health/ready')).status).toBe(200);
      // Without credentials an unknown status token is a 404 problem, never a 401.
      const status = await t.http().get(`/api/v1/public/status/${'A'.repeat(43)}`);
      expectProblem(status, 404, 'STATUS_LINK_NOT_FOUND');
    });
  });

  describe('access tokens', () => {
    const SECRET = 'test-secret-that-is-at-least-32-characters-long';
    let claims: { sub: string; tid: string; role: string; name: string; sv: number };

    beforeAll(async () => {
      const token = adminAuth.replace(/^Bearer /, '');
      claims = new JwtService({ secret: SECRET }).decode(token);
    });

    const me = (token: string) => t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);

    it('accepts a token signed with the server secret (control)', async () => {
      const token = await new JwtService({ secret: SECRET }).signAsync({ sub: claims.sub, tid: claims.tid, role: claims.role, name: claims.name, sv: claims.sv }, { expiresIn: 60 });
      expect((await me(token)).status).toBe(200);
    });

    it('refuses an expired token', async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = await new JwtService({ secret: SECRET }).signAsync({ sub: claims.sub, tid: claims.tid, role: claims.role, name: claims.name, sv: claims.sv, iat: now - 3600, exp: now - 60 });
      expectProblem(await me(token), 401, 'UNAUTHENTICATED');
    });

    it('refuses a token signed with another secret', async () => {
      const token = await new JwtService({ secret: 'another-secret-that-is-at-least-32-characters' }).signAsync({ sub: claims.sub, tid: claims.tid, role: claims.role, name: claims.name, sv: claims.sv }, { expiresIn: 60 });
      expectProblem(await me(token), 401, 'UNAUTHENTICATED');
    });

    it('refuses a token with another algorithm, and an unsigned one (alg none)', async () => {
      const hs512 = await new JwtService({ secret: SECRET }).signAsync({ sub: claims.sub, tid: claims.tid, role: claims.role, name: claims.name, sv: claims.sv }, { algorithm: 'HS512', expiresIn: 60 });
      expectProblem(await me(hs512), 401, 'UNAUTHENTICATED');
      const none = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims, exp: Math.floor(Date.now() / 1000) + 60 })}.`;
      expectProblem(await me(none), 401, 'UNAUTHENTICATED');
    });

    it('refuses a token whose claims were changed after signing', async () => {
      const viewerToken = (await t.login('viewer@demo.kept.test')).replace(/^Bearer /, '');
      const [header, payload, signature] = viewerToken.split('.');
      const changed = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' };
      expectProblem(await me(`${header}.${b64url(changed)}.${signature}`), 401, 'UNAUTHENTICATED');
    });
  });

  describe('GET /auth/me', () => {
    it('describes the signed-in user and the organization', async () => {
      const res = await t.http().get('/api/v1/auth/me').set('Authorization', await t.login('engineer@demo.kept.test'));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        principal: { kind: 'user', id: expect.any(String), role: 'engineer', name: 'Erik Engineer' },
        user: expect.objectContaining({ email: 'engineer@demo.kept.test', role: 'engineer', active: true }),
        organization: { id: expect.any(String), name: DEMO_ORG, targetKeepRate: 0.9 },
      });
      expect(res.body.user.id).toBe(res.body.principal.id);
    });
  });

  describe('API keys', () => {
    it('lets an admin create a key whose secret is shown once and stored only as a hash', async () => {
      const res = await t.http().post('/api/v1/api-keys').set('Authorization', adminAuth).send({ name: 'ERP integration', role: 'dispatcher' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'ERP integration',
        role: 'dispatcher',
        prefix: expect.stringMatching(/^[a-z0-9]{12}$/),
        createdAt: expect.any(String),
        lastUsedAt: null,
        revokedAt: null,
        key: expect.stringMatching(/^kept_[a-z0-9]{12}_[A-Za-z0-9_-]{32,}$/),
      });
      const key: string = res.body.key;
      expect(key.startsWith(`kept_${res.body.prefix}_`)).toBe(true);
      const secret = key.slice(`kept_${res.body.prefix}_`.length);

      const [row] = await sql<{ key_hash: string }>(t.db.ownerUrl, 'SELECT key_hash FROM api_keys WHERE id = $1', [res.body.id]);
      expect(row.key_hash).toBe(createHash('sha256').update(secret).digest('hex'));
      expect(row.key_hash).not.toContain(secret);

      const list = await t.http().get('/api/v1/api-keys').set('Authorization', adminAuth);
      expect(list.status).toBe(200);
      const listed = list.body.find((k: { id: string }) => k.id === res.body.id);
      expect(listed).toEqual(expect.objectContaining({ id: res.body.id, prefix: res.body.prefix, revokedAt: null }));
      expect(listed.key).toBeUndefined();
      expect(JSON.stringify(list.body)).not.toContain(secret);
    });

    it('authenticates with the key as a Bearer token and as X-API-Key, with the key role; revocation ends it', async () => {
      const created = await t.http().post('/api/v1/api-keys').set('Authorization', adminAuth).send({ name: 'Monitoring', role: 'viewer' });
      expect(created.status).toBe(201);
      const key: string = created.body.key;

      const asBearer = await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${key}`);
      expect(asBearer.status).toBe(200);
      expect(asBearer.body).toEqual({
        principal: { kind: 'api_key', id: created.body.id, role: 'viewer', name: 'Monitoring' },
        user: null,
        organization: expect.objectContaining({ name: DEMO_ORG }),
      });
      const viaHeader = await t.http().get('/api/v1/cases?limit=3').set('X-API-Key', key);
      expect(viaHeader.status).toBe(200);
      expect(viaHeader.body.items).toHaveLength(3);

      // The key's role applies: a viewer key cannot open a case nor create keys.
      const customers = await t.http().get('/api/v1/customers').set('X-API-Key', key);
      expect(customers.status).toBe(200);
      expectProblem(
        await t.http().post('/api/v1/cases').set('X-API-Key', key).send({ customerId: customers.body[0].id, category: 'Calibration', summary: 'x' }),
        403,
        'FORBIDDEN',
      );
      expectProblem(await t.http().post('/api/v1/api-keys').set('Authorization', `Bearer ${key}`).send({ name: 'escalate', role: 'admin' }), 403, 'FORBIDDEN');

      // The right prefix with a wrong secret is refused.
      const wrongSecret = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      expectProblem(await t.http().get('/api/v1/auth/me').set('X-API-Key', wrongSecret), 401, 'UNAUTHENTICATED');

      const revoked = await t.http().delete(`/api/v1/api-keys/${created.body.id}`).set('Authorization', adminAuth);
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
      expectProblem(await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${key}`), 401, 'UNAUTHENTICATED');
      expectProblem(await t.http().get('/api/v1/cases').set('X-API-Key', key), 401, 'UNAUTHENTICATED');

      // Revoking again changes nothing; an unknown key id is 404.
      const again = await t.http().delete(`/api/v1/api-keys/${created.body.id}`).set('Authorization', adminAuth);
      expect(again.status).toBe(200);
      expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
      expectProblem(await t.http().delete(`/api/v1/api-keys/${randomUUID()}`).set('Authorization', adminAuth), 404, 'NOT_FOUND');
    });

    it('lets only admins manage keys', async () => {
      for (const role of ['manager', 'dispatcher', 'engineer', 'viewer']) {
        const auth = await t.login(`${role}@demo.kept.test`);
        expectProblem(await t.http().post('/api/v1/api-keys').set('Authorization', auth).send({ name: 'mine', role: 'viewer' }), 403, 'FORBIDDEN');
        expectProblem(await t.http().get('/api/v1/api-keys').set('Authorization', auth), 403, 'FORBIDDEN');
      }
      const [{ n }] = await sql<{ n: number }>(t.db.ownerUrl, `SELECT count(*)::int AS n FROM api_keys WHERE name = 'mine'`);
      expect(n).toBe(0);
    });

    it('never stores the secret, not even when the client sends an Idempotency-Key', async () => {
      const res = await t.http().post('/api/v1/api-keys').set('Authorization', adminAuth).set('Idempotency-Key', randomUUID()).send({ name: 'Retry-happy client' });
      expect(res.status).toBe(201);
      expect(res.body.role).toBe('dispatcher'); // the default role
      const secret = (res.body.key as string).split('_').slice(2).join('_');
      const stored = await sql<{ n: number }>(
        t.db.ownerUrl,
        `SELECT (SELECT count(*) FROM idempotency_keys WHERE response_body::text LIKE '%' || $1 || '%')::int
              + (SELECT count(*) FROM api_keys WHERE key_hash LIKE '%' || $1 || '%' OR name LIKE '%' || $1 || '%')::int AS n`,
        [secret],
      );
      expect(stored[0].n).toBe(0);
    });

    it('validates the create body', async () => {
      expectValidation(await t.http().post('/api/v1/api-keys').set('Authorization', adminAuth).send({ name: '', role: 'root' }), ['name', 'role']);
    });
  });
});
