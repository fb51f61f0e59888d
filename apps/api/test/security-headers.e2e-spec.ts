import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadConfig } from '../src/config/config';
import { createApp } from '../src/create-app';
import { createTestApp, TestApp } from './support/app';

/**
 * Issue 12 (Low): HSTS and the CSP's `upgrade-insecure-requests` only on requests that came over TLS —
 * as told by a trusted proxy (TRUST_PROXY) through X-Forwarded-Proto, never by anyone else — and
 * `Cache-Control: no-store` on every authenticated JSON answer.
 */
describe('security headers', () => {
  let t: TestApp;
  let behindProxy: INestApplication;

  beforeAll(async () => {
    t = await createTestApp();
    behindProxy = await createApp(
      loadConfig({
        NODE_ENV: 'test',
        DATABASE_URL: t.db.ownerUrl,
        APP_DATABASE_URL: t.db.appUrl,
        JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
        LOG_LEVEL: 'silent',
        DATABASE_POOL_SIZE: '2',
        TRUST_PROXY: 'loopback',
      }),
    );
    await behindProxy.init();
  });
  afterAll(async () => {
    await behindProxy?.close();
    await t?.close();
  });

  const health = (app: INestApplication, proto?: string) => {
    const req = request(app.getHttpServer()).get('/api/v1/health');
    return proto ? req.set('X-Forwarded-Proto', proto) : req;
  };

  it('over plain HTTP: no HSTS and no upgrade-insecure-requests, but the rest of the policy', async () => {
    for (const res of [await health(t.app), await health(behindProxy), await health(behindProxy, 'http')]) {
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    }
  });

  it('over TLS at a trusted proxy: HSTS for a year and upgrade-insecure-requests', async () => {
    const res = await health(behindProxy, 'https');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('ignores X-Forwarded-Proto from a peer that is not a configured proxy', async () => {
    const res = await health(t.app, 'https');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('marks authenticated JSON answers, and their errors, no-store', async () => {
    const auth = await t.login('admin@demo.kept.test');
    for (const path of ['/api/v1/auth/me', '/api/v1/cases?limit=1', '/api/v1/users', '/api/v1/auth/invitations', '/api/v1/cases/00000000-0000-4000-8000-000000000000']) {
      const res = await t.http().get(path).set('Authorization', auth);
      expect(res.headers['content-type']).toMatch(/json/);
      expect([path, res.headers['cache-control']]).toEqual([path, 'no-store']);
    }
  });
});
