import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config/config';
import { RunningWorker, startWorker } from '../src/create-worker';
import { WebhookEgress } from '../src/modules/alerts';
import { createTestApp, TestApp } from './support/app';
import { expectProblem } from './support/problem';
import { count, sql } from './support/sql';
import { eventually } from './support/wait';

/**
 * The SSRF guard through the API and the worker, with no WEBHOOK_ALLOW_PRIVATE: internal URLs are refused
 * at registration (422, nothing stored), and a host that resolves to loopback only at delivery time is
 * refused by the worker and logged as refused — the receiver on loopback is never reached.
 */
describe('webhook egress (SSRF)', () => {
  let t: TestApp;
  let worker: RunningWorker | undefined;
  let manager: string;
  let receiver: Server;
  let port: number;
  let hits = 0;

  const api = (method: 'get' | 'post' | 'patch', path: string) => t.http()[method](`/api/v1${path}`).set('Authorization', manager);

  beforeAll(async () => {
    t = await createTestApp();
    manager = await t.login('manager@demo.kept.test');
    receiver = createServer((req, res) => {
      hits++;
      req.resume();
      res.statusCode = 200; // what an internal service would answer; must never show up in the log
      res.end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    port = (receiver.address() as AddressInfo).port;
    // No network here: names resolve through the guard's resolver, public at registration.
    t.app.get(WebhookEgress).resolveAll = async () => [{ address: '93.184.215.14', family: 4 }];
  });

  afterAll(async () => {
    await worker?.stop();
    await new Promise((r) => receiver?.close(r));
    await t?.close();
  });

  it('refuses internal URLs in every spelling with 422 WEBHOOK_URL_REFUSED and stores nothing', async () => {
    const refused = [
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/hook',
      'http://192.168.1.1/hook',
      'http://[fd00:ec2::254]/hook',
      'http://metadata.google.internal/computeMetadata/v1/',
      `http://2130706433:${port}/hook`,
      `http://0x7f000001:${port}/hook`,
      `http://0x7f.1:${port}/hook`,
      `http://0177.0.0.1:${port}/hook`,
      `http://127.1:${port}/hook`,
      `http://127.0.0.1:${port}/hook`,
      `http://localhost:${port}/hook`,
      `http://[::1]:${port}/hook`,
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      `http://0.0.0.0:${port}/hook`,
      'http://user:pass@hooks.example.com/hook',
    ];
    for (const url of refused) {
      const res = await api('post', '/webhooks').send({ url });
      const problem = expectProblem(res, 422, 'WEBHOOK_URL_REFUSED');
      expect(problem.errors).toEqual([{ path: 'url', message: expect.stringMatching(/^refused: /) }]);
      expect(problem.detail).not.toContain('user:pass');
    }
    expect(await count(t.db.ownerUrl, 'webhook_endpoints')).toBe(0);

    // A public endpoint is accepted; changing its URL to an internal one is refused and changes nothing.
    const ok = await api('post', '/webhooks').send({ url: 'https://hooks.example.com/kept' });
    expect(ok.status).toBe(201);
    const patched = await api('patch', `/webhooks/${ok.body.id}`).set('If-Match', `W/"${ok.body.version}"`).send({ url: 'http://[::ffff:a9fe:a9fe]/' });
    expectProblem(patched, 422, 'WEBHOOK_URL_REFUSED');
    expect((await api('get', `/webhooks/${ok.body.id}`)).body.url).toBe('https://hooks.example.com/kept');
    await api('patch', `/webhooks/${ok.body.id}`).set('If-Match', `W/"${ok.body.version}"`).send({ active: false });
  });

  it('refuses at delivery a host that has come to resolve to loopback, and logs it as refused', async () => {
    const endpoint = await api('post', '/webhooks').send({ url: `http://rebind.example.com:${port}/hook` });
    expect(endpoint.status).toBe(201);

    // Only a breach policy to webhooks, so one case gives one delivery.
    for (const p of (await api('get', '/alert-policies')).body as { id: string; version: number }[]) {
      expect((await api('patch', `/alert-policies/${p.id}`).set('If-Match', `W/"${p.version}"`).send({ active: false })).status).toBe(200);
    }
    const policy = await api('post', '/alert-policies').send({
      name: 'Egress breach watch',
      target: 'promised',
      basis: 'wall',
      fractions: [],
      leadMinutes: [],
      atBreach: true,
      repeatEveryMinutes: null,
      escalateAfterMinutes: null,
      atRisk: false,
      channels: ['webhook'],
      recipientRoles: ['manager'],
      active: true,
    });
    expect(policy.status).toBe(201);

    worker = await startWorker(
      loadConfig({ NODE_ENV: 'test', DATABASE_URL: t.db.ownerUrl, APP_DATABASE_URL: t.db.appUrl, LOG_LEVEL: 'silent', WORKER_POLL_INTERVAL_MS: '50' }),
    );
    // At delivery time the name points at loopback (DNS rebinding).
    worker.app.get(WebhookEgress).resolveAll = async () => [{ address: '127.0.0.1', family: 4 }];

    const customerId = (await api('post', '/customers').send({ name: 'Egress test customer' })).body.id;
    const now = Date.now();
    const created = await api('post', '/cases').send({
      customerId,
      category: 'egress-test',
      priority: 'normal',
      summary: 'Chiller alarm',
      openedAt: new Date(now - 60_000).toISOString(),
      promisedAt: new Date(now + 500).toISOString(),
    });
    expect(created.status).toBe(201);

    const log = await eventually(async () => {
      const res = await api('get', `/webhooks/${endpoint.body.id}/deliveries`);
      return res.body[0]?.state === 'failed' ? res.body : undefined;
    }, 20_000, 'delivery refused');
    expect(log[0]).toMatchObject({ attempts: 1, lastStatus: null, nextAttemptAt: null });
    expect(log[0].lastError).toBe('refused: rebind.example.com resolves to 127.0.0.1, which is a loopback address');
    expect(hits).toBe(0);
    const [row] = await sql<{ last_status: number | null }>(t.db.ownerUrl, `SELECT last_status FROM deliveries WHERE id = $1`, [log[0].id]);
    expect(row.last_status).toBeNull();
  });
});
