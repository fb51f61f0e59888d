// Issue 12, item 2: sessions follow account changes. A token carries the user's session version, which
// deactivation, a role change, a password change and "log out everywhere" bump; every request checks it
// (in the round trip that opens its transaction), and live event streams close when their token
// expires or their session ends. One user holds at most EVENT_STREAMS_PER_USER streams per process.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { JwtService } from '@nestjs/jwt';
import { Client } from 'pg';
import { createTestApp, TestApp } from './support/app';
import { expectProblem } from './support/problem';
import { sql } from './support/sql';
import { eventually } from './support/wait';

const SECRET = 'test-secret-that-is-at-least-32-characters-long';

interface Stream {
  status: number;
  text: () => string;
  ended: () => boolean;
  cancel: () => Promise<void>;
  body: string;
}

describe('sessions that follow account changes', () => {
  let t: TestApp;
  let port = 0;
  let adminAuth: string;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp();
    adminAuth = await t.login('admin@demo.kept.test');
    const server = t.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  const api = () => t.http();
  /** A fresh user of the given role (so tests do not disturb each other) and a logged-in token. */
  async function newUser(role: string): Promise<{ id: string; email: string; auth: string; version: number }> {
    n += 1;
    const email = `session-${n}-${role}@demo.kept.test`;
    const created = await api().post('/api/v1/users').set('Authorization', adminAuth).send({ email, name: `User ${n}`, role, password: 'a-long-password-123' });
    expect(created.status).toBe(201);
    return { id: created.body.id, email, auth: await t.login(email, 'a-long-password-123'), version: created.body.version };
  }
  const patchUser = (id: string, version: number, body: object) =>
    api().patch(`/api/v1/users/${id}`).set('Authorization', adminAuth).set('If-Match', `W/"${version}"`).send(body);

  /** Opens GET /events over real HTTP and collects what arrives. */
  async function openStream(token: string): Promise<Stream> {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/events?access_token=${encodeURIComponent(token)}`);
    if (res.status !== 200) return { status: res.status, text: () => '', ended: () => true, cancel: async () => undefined, body: await res.text() };
    const reader = res.body!.getReader();
    let received = '';
    let done = false;
    void (async () => {
      try {
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) break;
          received += new TextDecoder().decode(chunk.value);
        }
      } catch {
        // cancelled
      }
      done = true;
    })();
    await eventually(async () => received.includes(': connected'), 5000, 'stream connected');
    return { status: 200, text: () => received, ended: () => done, cancel: () => reader.cancel().catch(() => undefined), body: '' };
  }
  const tokenOf = (auth: string) => auth.replace(/^Bearer /, '');

  it('refuses a deactivated user\'s token at once, on reads and writes', async () => {
    const u = await newUser('dispatcher');
    // Control: the token works before the change.
    expect((await api().get('/api/v1/cases').set('Authorization', u.auth)).status).toBe(200);
    expect((await patchUser(u.id, u.version, { active: false })).status).toBe(200);

    expectProblem(await api().get('/api/v1/cases').set('Authorization', u.auth), 401, 'UNAUTHENTICATED');
    const before = await sql<{ n: number }>(t.db.ownerUrl, `SELECT count(*)::int AS n FROM customers`);
    expectProblem(await api().post('/api/v1/customers').set('Authorization', u.auth).send({ name: 'Written by a ghost' }), 401, 'UNAUTHENTICATED');
    expect(await sql<{ n: number }>(t.db.ownerUrl, `SELECT count(*)::int AS n FROM customers`)).toEqual(before);
    // And the log-in itself is refused.
    expect((await api().post('/api/v1/auth/login').send({ email: u.email, password: 'a-long-password-123' })).status).toBe(401);
  });

  it('refuses a demoted manager\'s token: the old token cannot create a webhook, a new one gets 403', async () => {
    const u = await newUser('manager');
    // Control: as manager the token passes the role check and reaches validation (400, not 401/403).
    expectProblem(await api().post('/api/v1/webhooks').set('Authorization', u.auth).send({}), 400, 'VALIDATION_FAILED');
    expect((await patchUser(u.id, u.version, { role: 'viewer' })).status).toBe(200);

    const hooksBefore = await sql<{ n: number }>(t.db.ownerUrl, `SELECT count(*)::int AS n FROM webhook_endpoints`);
    expectProblem(
      await api().post('/api/v1/webhooks').set('Authorization', u.auth).send({ url: 'https://hooks.example.com/kept', description: 'x' }),
      401,
      'UNAUTHENTICATED',
    );
    const viewerAuth = await t.login(u.email, 'a-long-password-123');
    expectProblem(await api().post('/api/v1/webhooks').set('Authorization', viewerAuth).send({ url: 'https://hooks.example.com/kept' }), 403, 'FORBIDDEN');
    expect(await sql<{ n: number }>(t.db.ownerUrl, `SELECT count(*)::int AS n FROM webhook_endpoints`)).toEqual(hooksBefore);
  });

  it('a role change that changes nothing (same role) keeps the session', async () => {
    const u = await newUser('dispatcher');
    expect((await patchUser(u.id, u.version, { role: 'dispatcher', name: 'Renamed' })).status).toBe(200);
    expect((await api().get('/api/v1/cases').set('Authorization', u.auth)).status).toBe(200);
  });

  it('"log out everywhere" refuses every access token of the user, and no one else\'s', async () => {
    const u = await newUser('dispatcher');
    const second = await t.login(u.email, 'a-long-password-123');
    const other = await newUser('dispatcher');
    expect((await api().post('/api/v1/auth/logout-all').set('Authorization', u.auth)).status).toBe(204);
    expectProblem(await api().get('/api/v1/cases').set('Authorization', u.auth), 401, 'UNAUTHENTICATED');
    expectProblem(await api().get('/api/v1/cases').set('Authorization', second), 401, 'UNAUTHENTICATED');
    expect((await api().get('/api/v1/cases').set('Authorization', other.auth)).status).toBe(200);
    // A new log-in works.
    expect((await api().get('/api/v1/cases').set('Authorization', await t.login(u.email, 'a-long-password-123'))).status).toBe(200);
  });

  it('a password change ends the other sessions and keeps the one that changed it', async () => {
    const u = await newUser('engineer');
    const elsewhere = await t.login(u.email, 'a-long-password-123');
    const wrong = await api().post('/api/v1/auth/password').set('Authorization', u.auth).send({ currentPassword: 'not-it-at-all', newPassword: 'another-long-password-456' });
    expectProblem(wrong, 403, 'FORBIDDEN');
    expect((await api().get('/api/v1/auth/me').set('Authorization', elsewhere)).status).toBe(200);

    const changed = await api().post('/api/v1/auth/password').set('Authorization', u.auth).send({ currentPassword: 'a-long-password-123', newPassword: 'another-long-password-456' });
    expect(changed.status).toBe(200);
    expectProblem(await api().get('/api/v1/auth/me').set('Authorization', elsewhere), 401, 'UNAUTHENTICATED');
    expectProblem(await api().get('/api/v1/auth/me').set('Authorization', u.auth), 401, 'UNAUTHENTICATED');
    expect((await api().get('/api/v1/auth/me').set('Authorization', `Bearer ${changed.body.accessToken}`)).status).toBe(200);
    expect((await api().post('/api/v1/auth/login').send({ email: u.email, password: 'a-long-password-123' })).status).toBe(401);
    expect((await api().post('/api/v1/auth/login').send({ email: u.email, password: 'another-long-password-456' })).status).toBe(200);
  });

  describe('live event streams', () => {
    it('closes a stream when its user is deactivated, and refuses to reopen it', async () => {
      const u = await newUser('dispatcher');
      const watcher = await newUser('dispatcher');
      const s = await openStream(tokenOf(u.auth));
      const control = await openStream(tokenOf(watcher.auth));
      expect((await patchUser(u.id, u.version, { active: false })).status).toBe(200);
      await eventually(async () => s.ended(), 5000, 'stream of the deactivated user closed');
      expect(control.ended()).toBe(false);
      expect((await openStream(tokenOf(u.auth))).status).toBe(401);
      await control.cancel();
    });

    it('closes a stream on "log out everywhere"', async () => {
      const u = await newUser('viewer');
      const s = await openStream(tokenOf(u.auth));
      expect((await api().post('/api/v1/auth/logout-all').set('Authorization', u.auth)).status).toBe(204);
      await eventually(async () => s.ended(), 5000, 'stream closed after log out everywhere');
    });

    it('closes an API key\'s stream when the key is revoked', async () => {
      const created = await api().post('/api/v1/api-keys').set('Authorization', adminAuth).send({ name: 'Wallboard', role: 'viewer' });
      expect(created.status).toBe(201);
      const s = await openStream(created.body.key);
      const other = await api().post('/api/v1/api-keys').set('Authorization', adminAuth).send({ name: 'Other', role: 'viewer' });
      const control = await openStream(other.body.key);
      expect((await api().delete(`/api/v1/api-keys/${created.body.id}`).set('Authorization', adminAuth)).status).toBe(200);
      await eventually(async () => s.ended(), 5000, 'stream of the revoked key closed');
      expect(control.ended()).toBe(false);
      expect((await openStream(created.body.key)).status).toBe(401);
      await control.cancel();
    });

    it('closes a stream when its token expires', async () => {
      const u = await newUser('dispatcher');
      const claims = new JwtService({ secret: SECRET }).decode<{ sub: string; tid: string; role: string; name: string; sv: number }>(tokenOf(u.auth));
      // A token that expires in 2 s (signing one with the server's secret is the only way to get a short one).
      const short = await new JwtService({ secret: SECRET }).signAsync(
        { sub: claims.sub, tid: claims.tid, role: claims.role, name: claims.name, sv: claims.sv },
        { expiresIn: 2 },
      );
      const s = await openStream(short);
      const long = await openStream(tokenOf(u.auth));
      await eventually(async () => s.ended(), 10_000, 'stream closed at token expiry');
      expect(long.ended()).toBe(false);
      await long.cancel();
    });

    it('caps the streams of one user (429 problem+json beyond) and frees a slot when one closes', async () => {
      const u = await newUser('dispatcher');
      const open: Stream[] = [];
      for (let i = 0; i < 5; i++) open.push(await openStream(tokenOf(u.auth)));
      expect(open.every((s) => s.status === 200)).toBe(true);
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/events?access_token=${tokenOf(u.auth)}`);
      expect(res.status).toBe(429);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ status: 429, code: 'TOO_MANY_STREAMS' });
      // Another user is not affected.
      const other = await newUser('dispatcher');
      const theirs = await openStream(tokenOf(other.auth));
      expect(theirs.status).toBe(200);
      await open[0].cancel();
      const again = await eventually(async () => {
        const s = await openStream(tokenOf(u.auth));
        return s.status === 200 ? s : undefined;
      }, 5000, 'a slot freed');
      for (const s of [...open, theirs, again]) await s.cancel();
    });

    it('relays only events the API signed: a forged NOTIFY never reaches a tenant\'s stream', async () => {
      const u = await newUser('dispatcher');
      const s = await openStream(tokenOf(u.auth));
      const [org] = await sql<{ id: string }>(t.db.ownerUrl, `SELECT id FROM organizations WHERE slug = 'demo'`);
      // Forged by anyone who can connect as kept_app: a plain envelope, and one with a made-up signature.
      const forged = { tenantId: org.id, event: { type: 'case', caseId: '00000000-0000-4000-8000-000000000001', version: 1, status: 'forged' } };
      const c = new Client({ connectionString: t.db.appUrl });
      await c.connect();
      await c.query(`SELECT pg_notify('kept_events', $1)`, [JSON.stringify(forged)]);
      await c.query(`SELECT pg_notify('kept_events', $1)`, [`${'0'.repeat(64)}.${JSON.stringify(forged)}`]);
      await c.end();
      // Control: a real change right after reaches the stream, so the forged ones had their chance to arrive first.
      const customer = await api().post('/api/v1/customers').set('Authorization', adminAuth).send({ name: 'Signed event' });
      expect(customer.status).toBe(201);
      const created = await api().post('/api/v1/cases').set('Authorization', adminAuth).send({ customerId: customer.body.id, category: 'Calibration', summary: 'QC out of range' });
      expect(created.status).toBe(201);
      await eventually(async () => s.text().includes(created.body.id), 5000, 'the signed event');
      expect(s.text()).not.toContain('forged');
      expect(s.text()).not.toContain('00000000-0000-4000-8000-000000000001');
      await s.cancel();
    });
  });
});
