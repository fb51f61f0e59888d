import { loadConfig } from './config';

const base = { DATABASE_URL: 'postgres://owner@db:5432/kept' };

describe('loadConfig', () => {
  it('defaults the worker to in-process, except under NODE_ENV=test', () => {
    expect(loadConfig(base).worker).toMatchObject({ inProcess: true, concurrency: 10, pollIntervalMs: 100, staleAfterMs: 5000 });
    expect(loadConfig({ ...base, NODE_ENV: 'test' }).worker.inProcess).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'test', WORKER: 'in-process' }).worker.inProcess).toBe(true);
  });

  it('uses the Standard Webhooks retry schedule unless told otherwise', () => {
    expect(loadConfig(base).worker.retryScheduleSeconds).toEqual([5, 300, 1800, 7200, 18_000, 36_000, 36_000]);
    expect(loadConfig({ ...base, WEBHOOK_RETRY_SCHEDULE: '1,2' }).worker.retryScheduleSeconds).toEqual([1, 2]);
  });

  it('treats an empty variable as unset and names every bad one', () => {
    expect(loadConfig({ ...base, SMTP_URL: '', PORT: '' })).toMatchObject({ port: 3000, worker: { smtpUrl: null } });
    const bad = () => loadConfig({ ...base, SMTP_URL: 'mail.example.com', WORKER_CONCURRENCY: '0' });
    expect(bad).toThrow(/SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(bad).toThrow(/WORKER_CONCURRENCY: Too small/);
  });

  it('accepts WEBHOOK_ALLOW_PRIVATE as CIDRs or true, and refuses anything else', () => {
    expect(loadConfig(base).webhookAllowPrivate).toBeUndefined();
    expect(loadConfig({ ...base, WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32, fd00::/8' }).webhookAllowPrivate).toBe('127.0.0.1/32, fd00::/8');
    expect(loadConfig({ ...base, WEBHOOK_ALLOW_PRIVATE: 'true' }).webhookAllowPrivate).toBe('true');
    expect(() => loadConfig({ ...base, WEBHOOK_ALLOW_PRIVATE: '127.0.0.1' })).toThrow(/WEBHOOK_ALLOW_PRIVATE: comma-separated CIDR/);
  });

  it('has no default password for the runtime role in production', () => {
    const prod = { ...base, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };
    expect(() => loadConfig(prod)).toThrow(/APP_DATABASE_PASSWORD: required in production/);
    expect(new URL(loadConfig({ ...prod, APP_DATABASE_PASSWORD: 's3cret' }).appDatabaseUrl).password).toBe('s3cret');
    expect(loadConfig({ ...prod, APP_DATABASE_URL: 'postgres://kept_app:pw@db/kept' }).appDatabaseUrl).toBe('postgres://kept_app:pw@db/kept');
    // Outside production (npm start's embedded database, tests) the local default remains.
    expect(new URL(loadConfig(base).appDatabaseUrl).password).toBe('kept_app');
  });

  it('derives one events key from JWT_SECRET, so every process verifies what the others sign', () => {
    const a = loadConfig({ ...base, JWT_SECRET: 'y'.repeat(32) });
    const b = loadConfig({ ...base, JWT_SECRET: 'y'.repeat(32) });
    const c = loadConfig({ ...base, JWT_SECRET: 'z'.repeat(32) });
    expect(a.eventsKey.equals(b.eventsKey)).toBe(true);
    expect(a.eventsKey.equals(c.eventsKey)).toBe(false);
    expect(a.eventsKey.toString('hex')).not.toContain(Buffer.from('y'.repeat(32)).toString('hex'));
  });
});
