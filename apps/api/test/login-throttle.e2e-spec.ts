import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadConfig } from '../src/config/config';
import { createApp } from '../src/create-app';
import { createTestApp, TestApp } from './support/app';
import { expectProblem } from './support/problem';
import { sql } from './support/sql';

/**
 * Log-in throttling by account and by client address, counted in PostgreSQL so that every API process
 * sees the same counters: over the limit, 429 problem+json with Retry-After, even with the right password.
 */
describe('log-in throttling', () => {
  // The test plays several clients through X-Forwarded-For, trusted from loopback here only.
  const env = { LOGIN_LIMIT_PER_ACCOUNT: '3', LOGIN_LIMIT_PER_CLIENT: '6', LOGIN_LIMIT_WINDOW_SECONDS: '60', TRUST_PROXY: 'loopback' };
  let t: TestApp;
  let second: INestApplication;
  const ADMIN = 'admin@demo.kept.test';

  const login = (email: string, password: string, client: string, app?: INestApplication) =>
    request((app ?? t.app).getHttpServer()).post('/api/v1/auth/login').set('X-Forwarded-For', client).send({ email, password });

  beforeAll(async () => {
    t = await createTestApp({ env });
    // A second API process on the same database.
    second = await createApp(
      loadConfig({ NODE_ENV: 'test', DATABASE_URL: t.db.ownerUrl, APP_DATABASE_URL: t.db.appUrl, JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long', LOG_LEVEL: 'silent', DATABASE_POOL_SIZE: '2', ...env }),
    );
    await second.init();
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  it('blocks an account after its limit, from any client and any process, with 429 and Retry-After', async () => {
    for (let i = 0; i < 3; i++) expect((await login(ADMIN, 'wrong-password', '203.0.113.1')).status).toBe(401);
    // The right password does not help once the account is blocked.
    const blocked = await login(ADMIN, 'kept-demo', '203.0.113.1');
    const problem = expectProblem(blocked, 429, 'TOO_MANY_REQUESTS');
    expect(problem.detail).toMatch(/Too many log-in attempts/);
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another address, and another API process: still blocked (the counters are shared).
    expectProblem(await login(ADMIN.toUpperCase(), 'kept-demo', '198.51.100.7', second), 429, 'TOO_MANY_REQUESTS');
    // Other accounts are not affected.
    expect((await login('manager@demo.kept.test', 'kept-demo', '198.51.100.8')).status).toBe(200);

    // When the block ends, the account can log in again.
    await sql(t.db.ownerUrl, `UPDATE throttle_counters SET blocked_until = now() - interval '1 second', expires_at = now() - interval '1 second'`);
    expect((await login(ADMIN, 'kept-demo', '203.0.113.1')).status).toBe(200);
  });

  it('ignores X-Forwarded-For from peers that are not configured proxies', async () => {
    const untrusting = await createApp(
      loadConfig({ NODE_ENV: 'test', DATABASE_URL: t.db.ownerUrl, APP_DATABASE_URL: t.db.appUrl, JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long', LOG_LEVEL: 'silent', DATABASE_POOL_SIZE: '2', ...env, TRUST_PROXY: 'false' }),
    );
    await untrusting.init();
    try {
      // Six failures with six different forged addresses still count for one client: the socket's.
      for (let i = 0; i < 6; i++) expect((await login(`nobody${i}@demo.kept.test`, 'wrong-password', `203.0.113.${100 + i}`, untrusting)).status).toBe(401);
      expectProblem(await login('nobody9@demo.kept.test', 'wrong-password', '203.0.113.200', untrusting), 429, 'TOO_MANY_REQUESTS');
    } finally {
      await untrusting.close();
      await sql(t.db.ownerUrl, `DELETE FROM throttle_counters`);
    }
  });

  it('blocks a client address that tries many accounts', async () => {
    const accounts = ['dispatcher', 'engineer', 'viewer', 'manager', 'x1', 'x2'].map((r) => `${r}@demo.kept.test`);
    for (const [i, email] of accounts.entries()) {
      const res = await login(email, 'wrong-password', '192.0.2.9', i % 2 ? second : undefined);
      expect(res.status).toBe(401);
    }
    const res = await login('fresh@demo.kept.test', 'kept-demo', '192.0.2.9');
    expectProblem(res, 429, 'TOO_MANY_REQUESTS');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // The same accounts from another address are only counted per account (1 failure each so far).
    expect((await login('viewer@demo.kept.test', 'kept-demo', '192.0.2.10')).status).toBe(200);
    // Only hashes of the keys are stored, not e-mails or addresses.
    const keys = await sql<{ key: string }>(t.db.ownerUrl, `SELECT key FROM throttle_counters`);
    expect(keys.length).toBeGreaterThan(0);
    for (const { key } of keys) expect(key).toMatch(/^(account|client):[0-9a-f]{64}$/);
  });
});
