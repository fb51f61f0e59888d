import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '../src/config/config';
import { RunningWorker, startWorker } from '../src/create-worker';
import { DigestService } from '../src/modules/alerts';
import { Metrics } from '../src/modules/metrics';
import { createTestApp, TestApp } from './support/app';
import { startSmtpCapture, SmtpCapture } from './support/smtp';
import { count, sql } from './support/sql';
import { eventually, sleep } from './support/wait';

/**
 * The scheduler end to end on a real PostgreSQL with real graphile-worker jobs, a real SMTP server and
 * a real HTTP receiver: alerts fire once at their time, move with pauses, die with re-promises and
 * satisfaction, never double-fire across workers, and reach e-mail, webhooks and the live stream.
 */
describe('alerts (scheduler, delivery, inbox)', () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  let receiver: { server: Server; url: string; requests: { headers: IncomingMessage['headers']; body: string }[]; answer: number[] };
  const workers: RunningWorker[] = [];
  let auth: { dispatcher: string; manager: string };
  let customerId: string;
  let policyId: string;

  const api = (method: 'get' | 'post' | 'patch' | 'put', path: string, who: keyof typeof auth = 'dispatcher') =>
    t.http()[method](`/api/v1${path}`).set('Authorization', auth[who]);

  const workerConfig = () =>
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: t.db.ownerUrl,
      APP_DATABASE_URL: t.db.appUrl,
      // The API's secret: live events are signed with a key derived from it, and the API relays only those.
      JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
      LOG_LEVEL: 'silent',
      WORKER_POLL_INTERVAL_MS: '50',
      WORKER_HEARTBEAT_MS: '200',
      WORKER_STALE_AFTER_MS: '1500',
      SMTP_URL: smtp.url,
      // The Standard Webhooks schedule starts at 5 s; a shorter one keeps the test quick.
      WEBHOOK_RETRY_SCHEDULE: '1,1,1',
      WEBHOOK_TIMEOUT_MS: '2000',
      // The test's receiver listens on loopback, which the SSRF guard refuses unless allowed.
      WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32',
    });

  async function startOneWorker(): Promise<RunningWorker> {
    const w = await startWorker(workerConfig());
    workers.push(w);
    return w;
  }

  async function createCase(promisedInMs: number, extra: Record<string, unknown> = {}) {
    const now = Date.now();
    const res = await api('post', '/cases').send({
      customerId,
      category: 'alerts-test',
      priority: 'normal',
      summary: 'Compressor trips',
      openedAt: new Date(now - 60_000).toISOString(),
      promisedAt: new Date(now + promisedInMs).toISOString(),
      ...extra,
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number };
  }

  const alertsOf = (caseId: string) =>
    sql<{ id: string; rule_key: string; state: string; due_at: Date | null; fired_at: Date | null; target_version: number }>(
      t.db.ownerUrl,
      `SELECT id, rule_key, state, due_at, fired_at, target_version FROM alerts WHERE case_id = $1 ORDER BY created_at, rule_key`,
      [caseId],
    );

  beforeAll(async () => {
    t = await createTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32' } });
    smtp = await startSmtpCapture();
    const requests: { headers: IncomingMessage['headers']; body: string }[] = [];
    const answer: number[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        requests.push({ headers: req.headers, body });
        res.statusCode = answer.shift() ?? 204;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    receiver = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, requests, answer };

    auth = { dispatcher: await t.login('dispatcher@demo.kept.test'), manager: await t.login('manager@demo.kept.test') };
    customerId = (await api('post', '/customers').send({ name: 'Alert test customer' })).body.id;
    // Only the test's own policy: breach alerts on the promise, in wall time, to every channel.
    const defaults = (await api('get', '/alert-policies')).body as { id: string; version: number }[];
    for (const p of defaults) {
      expect((await api('patch', `/alert-policies/${p.id}`, 'manager').set('If-Match', `W/"${p.version}"`).send({ active: false })).status).toBe(200);
    }
    const created = await api('post', '/alert-policies', 'manager').send({
      name: 'Test breach watch',
      target: 'promised',
      basis: 'wall',
      fractions: [],
      leadMinutes: [],
      atBreach: true,
      repeatEveryMinutes: null,
      escalateAfterMinutes: null,
      atRisk: false,
      channels: ['in_app', 'email', 'webhook'],
      recipientRoles: ['manager'],
      active: true,
    });
    expect(created.status).toBe(201);
    policyId = created.body.id;
  });

  afterAll(async () => {
    for (const w of workers) await w.stop();
    await smtp?.close();
    await new Promise((r) => receiver?.server.close(r));
    await t?.close();
  });

  afterEach(async () => {
    while (workers.length) await workers.pop()!.stop();
  });

  it('ships default policies per tenant and validates policy changes', async () => {
    const list = (await api('get', '/alert-policies')).body as { name: string; fractions: number[]; leadMinutes: number[] }[];
    expect(list.map((p) => p.name).sort()).toEqual(['Need watch', 'Promise watch', 'Test breach watch']);
    expect(list.find((p) => p.name === 'Promise watch')).toMatchObject({ fractions: [0.5, 0.75, 0.9], leadMinutes: [30] });

    const bad = await api('post', '/alert-policies', 'manager').send({ name: 'x', target: 'promised', fractions: [1.5] });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await count(t.db.ownerUrl, 'alert_policies', `name = 'x'`)).toBe(0);

    expect((await api('post', '/alert-policies', 'dispatcher').send({})).status).toBe(403);
    const stale = await api('patch', `/alert-policies/${policyId}`, 'manager').set('If-Match', 'W/"99"').send({ active: true });
    expect(stale.status).toBe(412);
  });

  it('fires an alert once, at its time, and shows it in the inbox and on the live stream', async () => {
    const token = auth.dispatcher.replace('Bearer ', '');
    const server = t.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const stream = await fetch(`http://127.0.0.1:${port}/api/v1/events?access_token=${token}`);
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = stream.body!.getReader();
    let received = '';
    const readAll = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        received += new TextDecoder().decode(value);
      }
    })();

    await startOneWorker();
    const c = await createCase(1500);
    const [pending] = await alertsOf(c.id);
    expect(pending).toMatchObject({ rule_key: 'breach', state: 'pending', target_version: 1 });

    const fired = await eventually(async () => (await alertsOf(c.id)).find((a) => a.state === 'fired'), 15_000, 'alert fired');
    expect(fired.fired_at!.getTime()).toBeGreaterThanOrEqual(fired.due_at!.getTime());
    await sleep(500);
    expect(await alertsOf(c.id)).toHaveLength(1);

    const inbox = await api('get', `/alerts?caseId=${c.id}`);
    expect(inbox.status).toBe(200);
    expect(inbox.body.items).toEqual([expect.objectContaining({ id: fired.id, state: 'fired', ruleKind: 'breach', severity: 'high' })]);

    await eventually(async () => received.includes(fired.id), 5000, 'SSE alert event');
    expect(received).toMatch(/event: case\n/);
    expect(received).toMatch(/event: alert\ndata: \{"type":"alert"/);
    await reader.cancel();
    await readAll.catch(() => undefined);
  });

  it('holds alerts while paused and moves them by the pause on resume', async () => {
    await startOneWorker();
    const c = await createCase(2000);
    const paused = await api('post', `/cases/${c.id}/pause`).set('If-Match', `W/"${c.version}"`).send({ reason: 'Waiting for the customer' });
    expect(paused.status).toBe(200);
    expect((await alertsOf(c.id))[0]).toMatchObject({ state: 'pending', due_at: null });
    await sleep(3000);
    expect((await alertsOf(c.id))[0].state).toBe('pending');

    const before = Date.now();
    const resumed = await api('post', `/cases/${c.id}/resume`).set('If-Match', `W/"${paused.body.version}"`).send({});
    expect(resumed.status).toBe(200);
    const [moved] = await alertsOf(c.id);
    // The clock stood still for the pause (≥ 3 s): the breach moved at least that far past the promise.
    const promisedAt = new Date(resumed.body.promisedAt).getTime();
    expect(moved.due_at!.getTime()).toBeGreaterThanOrEqual(promisedAt + 2900);
    expect(moved.due_at!.getTime()).toBeGreaterThan(before);
    await eventually(async () => (await alertsOf(c.id))[0].state === 'fired', 15_000, 'alert fired after resume');
  });

  it('replaces the alerts of the old promise on a re-promise, and cancels them on satisfaction', async () => {
    await startOneWorker();
    const c = await createCase(1500);
    const re = await api('post', `/cases/${c.id}/promise`)
      .set('If-Match', `W/"${c.version}"`)
      .send({ promisedAt: new Date(Date.now() + 3_600_000).toISOString(), reason: 'Part on back-order', customerAccepted: 'yes' });
    expect(re.status).toBe(200);
    let rows = await alertsOf(c.id);
    expect(rows.map((a) => [a.target_version, a.state])).toEqual([
      [1, 'cancelled'],
      [2, 'pending'],
    ]);
    await sleep(2500);
    expect((await alertsOf(c.id)).every((a) => a.state !== 'fired')).toBe(true);

    const done = await api('post', `/cases/${c.id}/satisfied`).set('If-Match', `W/"${re.body.version}"`).send({});
    expect(done.status).toBe(200);
    rows = await alertsOf(c.id);
    expect(rows.map((a) => a.state)).toEqual(['cancelled', 'cancelled']);
    // The firing job of the new version's second stays (other alerts may share it); run now, it fires nothing and ends.
    const jobs = await sql<{ key: string }>(
      t.db.ownerUrl,
      `UPDATE graphile_worker._private_jobs j SET run_at = now() FROM alerts a
        WHERE a.case_id = $1 AND a.target_version = 2 AND j.key = 'fire:' || a.tenant_id || ':' || floor(extract(epoch FROM a.due_at))::bigint
       RETURNING j.key`,
      [c.id],
    );
    expect(jobs).toHaveLength(1);
    await eventually(async () => (await count(t.db.ownerUrl, 'graphile_worker._private_jobs', `key = ANY($1)`, [jobs.map((j) => j.key)])) === 0, 10_000, 'job run');
    expect((await alertsOf(c.id)).map((a) => a.state)).toEqual(['cancelled', 'cancelled']);
  });

  it('never fires an alert twice with two workers, and recovers the jobs of a worker that died holding them', async () => {
    await startOneWorker();
    await startOneWorker();
    const cases = [];
    for (let i = 0; i < 30; i++) cases.push(await createCase(1000 + (i % 10) * 100));
    const ids = cases.map((c) => c.id);
    await eventually(
      async () => (await count(t.db.ownerUrl, 'alerts', `case_id = ANY($1) AND state = 'fired'`, [ids])) === 30,
      20_000,
      '30 alerts fired',
    );
    await sleep(500);
    expect(await count(t.db.ownerUrl, 'alerts', `case_id = ANY($1)`, [ids])).toBe(30);
    expect(await count(t.db.ownerUrl, 'deliveries', `alert_id IN (SELECT id FROM alerts WHERE case_id = ANY($1)) AND channel = 'webhook'`, [ids])).toBe(0);

    // A worker killed mid-job leaves its job locked: simulate exactly that (the alert falls due and its second's
    // job is held by a dead pool, in one transaction, so no live worker takes it first), then let the live workers sweep.
    const c = await createCase(600_000);
    const [alert] = await alertsOf(c.id);
    // (The id is a uuid read back from the database, safe inside the DO block, which takes no parameters.)
    await sql(
      t.db.ownerUrl,
      `DO $$ BEGIN
         UPDATE alerts SET due_at = now() WHERE id = '${alert.id}';
         UPDATE graphile_worker._private_jobs SET locked_by = 'pool-killed', locked_at = now() - interval '10 seconds'
          WHERE key = (SELECT 'fire:' || tenant_id || ':' || floor(extract(epoch FROM due_at))::bigint FROM alerts WHERE id = '${alert.id}');
         -- Proof the simulation holds the alert's job (the sweep may release it any moment after the commit).
         IF NOT FOUND THEN RAISE EXCEPTION 'the alert has no firing job to hold'; END IF;
       END $$`,
    );
    await eventually(async () => (await alertsOf(c.id))[0].state === 'fired', 15_000, 'orphaned alert fired');
    // Released by the sweep.
    expect(await count(t.db.ownerUrl, 'graphile_worker._private_jobs', `locked_by = 'pool-killed'`)).toBe(0);
  });

  it('delivers e-mail over SMTP, honours quiet hours, and signs webhooks that are retried after a 500', async () => {
    const endpoint = await api('post', '/webhooks', 'manager').send({ url: receiver.url, description: 'test receiver' });
    expect(endpoint.status).toBe(201);
    expect(endpoint.body.secret).toMatch(/^whsec_/);
    receiver.answer.push(500);
    await startOneWorker();
    const c = await createCase(1000);

    const [alert] = await alertsOf(c.id);
    const mail = await smtp.waitFor((m) => m.messageId?.includes(alert.id) ?? false);
    expect(mail.subject).toContain('Compressor trips');
    expect(JSON.stringify(mail.to)).toContain('manager@demo.kept.test');
    expect(mail.text).toContain('was missed');
    expect(mail.messageId).toBe(`<alert-${alert.id}.${(await sql<{ id: string }>(t.db.ownerUrl, `SELECT id FROM users WHERE email = 'manager@demo.kept.test'`))[0].id}@kept>`);

    await eventually(async () => receiver.requests.length >= 2, 15_000, 'webhook retried');
    const [first, second] = receiver.requests;
    expect(first.headers['webhook-id']).toBe(second.headers['webhook-id']);
    const verified = new Webhook(endpoint.body.secret).verify(second.body, {
      'webhook-id': String(second.headers['webhook-id']),
      'webhook-timestamp': String(second.headers['webhook-timestamp']),
      'webhook-signature': String(second.headers['webhook-signature']),
    }) as { type: string; data: { id: string; caseId: string } };
    expect(verified).toMatchObject({ type: 'alert.fired', data: { id: alert.id, caseId: c.id } });
    expect(() => new Webhook(endpoint.body.secret).verify(second.body + ' ', second.headers as Record<string, string>)).toThrow();

    const log = await eventually(async () => {
      const res = await api('get', `/webhooks/${endpoint.body.id}/deliveries`, 'manager');
      return res.body[0]?.state === 'delivered' ? res.body : undefined;
    });
    expect(log[0]).toMatchObject({ alertId: alert.id, attempts: 2, lastStatus: 204 });
    // The worker's metrics count the outcomes (kept_deliveries_total): the 500 as a retry, then the delivery.
    const deliveries = async (channel: string, outcome: string) =>
      (await workers[0].app.get(Metrics).deliveries.get()).values.find((v) => v.labels.channel === channel && v.labels.outcome === outcome)?.value ?? 0;
    await eventually(async () => (await deliveries('webhook', 'delivered')) === 1 && (await deliveries('email', 'delivered')) >= 1, 10_000, 'deliveries counted');
    expect(await deliveries('webhook', 'retry')).toBe(1);

    // Redelivery sends the same message again.
    const again = await api('post', `/webhooks/deliveries/${log[0].id}/redeliver`, 'manager');
    expect(again.status).toBe(202);
    await eventually(async () => receiver.requests.length >= 3, 10_000, 'redelivered');
    expect(receiver.requests[2].headers['webhook-id']).toBe(first.headers['webhook-id']);

    // 410 Gone disables the endpoint.
    receiver.answer.push(410);
    await createCase(500);
    await eventually(async () => (await api('get', `/webhooks/${endpoint.body.id}`, 'manager')).body.active === false, 15_000, 'endpoint disabled');
    expect((await api('get', `/webhooks/${endpoint.body.id}`, 'manager')).body.disabledReason).toMatch(/410/);

    // Quiet hours all day long hold the e-mail until they end.
    const prefs = await api('put', '/users/me/notification-preferences', 'manager').send({
      emailEnabled: true,
      quietHours: { from: '00:00', to: '23:59', timeZone: 'UTC' },
      digestLowSeverity: false,
    });
    expect(prefs.status).toBe(200);
    const quiet = await createCase(300);
    const [quietAlert] = await eventually(async () => {
      const rows = await alertsOf(quiet.id);
      return rows[0]?.state === 'fired' ? rows : undefined;
    });
    const [delivery] = await sql<{ next_attempt_at: Date; state: string }>(
      t.db.ownerUrl,
      `SELECT next_attempt_at, state FROM deliveries WHERE alert_id = $1 AND channel = 'email'`,
      [quietAlert.id],
    );
    expect(delivery.state).toBe('pending');
    expect(delivery.next_attempt_at.toISOString().slice(11, 16)).toBe('23:59');
    const badZone = await api('put', '/users/me/notification-preferences', 'manager').send({
      emailEnabled: true,
      quietHours: { from: '22:00', to: '07:00', timeZone: 'Mars/Olympus' },
      digestLowSeverity: false,
    });
    expect(badZone.status).toBe(422);
  });

  it('acknowledges and snoozes through the inbox, with clear errors for the wrong state', async () => {
    await startOneWorker();
    const c = await createCase(300);
    const [fired] = await eventually(async () => {
      const rows = await alertsOf(c.id);
      return rows[0]?.state === 'fired' ? rows : undefined;
    });
    const snoozed = await api('post', `/alerts/${fired.id}/snooze`).send({ minutes: 30 });
    expect(snoozed.status).toBe(200);
    expect(new Date(snoozed.body.snoozedUntil).getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
    const open = (await api('get', '/alerts?state=open')).body.items.map((a: { id: string }) => a.id);
    expect(open).not.toContain(fired.id);

    const ack = await api('post', `/alerts/${fired.id}/acknowledge`);
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ state: 'acknowledged', acknowledgedBy: { name: expect.any(String) } });
    expect((await api('post', `/alerts/${fired.id}/acknowledge`)).status).toBe(200);

    const badSnooze = await api('post', `/alerts/${fired.id}/snooze`).send({ minutes: 0 });
    expect(badSnooze.status).toBe(400);
    const other = await createCase(3_600_000);
    const [pending] = await alertsOf(other.id);
    const early = await api('post', `/alerts/${pending.id}/acknowledge`);
    expect(early.status).toBe(409);
    // The alerts module's own codes (AlertExceptionCode), no longer the generic CONFLICT / NOT_FOUND.
    expect(early.body).toMatchObject({ code: 'ALERT_NOT_FIRED', type: 'https://kept.dev/problems/alert-not-fired' });
    const missing = await api('post', '/alerts/00000000-0000-4000-8000-000000000000/acknowledge');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'ALERT_NOT_FOUND' });
    expect((await t.http().post(`/api/v1/alerts/${fired.id}/acknowledge`).set('Authorization', await t.login('viewer@demo.kept.test'))).status).toBe(403);
  });

  it('fires nothing more for a deactivated policy', async () => {
    const c = await createCase(1500);
    const policy = (await api('get', `/alert-policies/${policyId}`)).body as { version: number };
    const off = await api('patch', `/alert-policies/${policyId}`, 'manager').set('If-Match', `W/"${policy.version}"`).send({ active: false });
    expect(off.status).toBe(200);
    expect((await alertsOf(c.id))[0].state).toBe('cancelled');
    await startOneWorker();
    await sleep(2500);
    expect((await alertsOf(c.id))[0].state).toBe('cancelled');
    const on = await api('patch', `/alert-policies/${policyId}`, 'manager').set('If-Match', `W/"${off.body.version}"`).send({ active: true });
    expect(on.status).toBe(200);
  });

  it('warns at risk when a milestone leaves more work than time, and sends low-severity alerts as one hourly digest', async () => {
    const policy = await api('post', '/alert-policies', 'manager').send({
      name: 'Test early warnings',
      target: 'promised',
      basis: 'wall',
      fractions: [0.5],
      leadMinutes: [],
      atBreach: false,
      repeatEveryMinutes: null,
      escalateAfterMinutes: null,
      atRisk: true,
      channels: ['in_app', 'email'],
      recipientRoles: ['manager'],
      active: true,
    });
    expect(policy.status).toBe(201);
    await api('put', '/users/me/notification-preferences', 'manager').send({ emailEnabled: true, quietHours: null, digestLowSeverity: true });

    // Promised in 2 h; the promise breakdown plans 40 + 30 + 30 + 10 minutes.
    const c = await createCase(7_200_000, {
      promiseBreakdown: { arrivalMinutes: 40, diagnosisMinutes: 30, fixMinutes: 30, testMinutes: 10 },
    });
    const risk = () => sql<{ rule_key: string; due_at: Date }>(t.db.ownerUrl, `SELECT rule_key, due_at FROM alerts WHERE case_id = $1 AND kind = 'at_risk'`, [c.id]);
    const [opened] = await risk();
    expect(opened.rule_key).toBe('at_risk:opened');
    // No history yet: the plan decides. Arrival is due 40 minutes in, then 70 minutes of work remain:
    // at risk once less than 70 minutes are left and the engineer has not arrived.
    const promisedAt = Date.now() + 7_200_000;
    expect(Math.abs(opened.due_at.getTime() - (promisedAt - 70 * 60_000))).toBeLessThan(5_000);

    // The engineer arrives: diagnosis is next (30 min planned), then 40 minutes of work: the at-risk point
    // moves to 40 minutes before the promise.
    const arrived = await api('post', `/cases/${c.id}/milestones`).set('If-Match', `W/"${c.version}"`).send({ kind: 'arrived' });
    expect(arrived.status).toBe(201);
    const afterArrival = await risk();
    expect(afterArrival.map((r) => r.rule_key).sort()).toEqual(['at_risk:arrived', 'at_risk:opened']);
    const moved = afterArrival.find((r) => r.rule_key === 'at_risk:arrived')!;
    expect(Math.abs(moved.due_at.getTime() - (promisedAt - 40 * 60_000))).toBeLessThan(5_000);

    // A low-severity alert (50 %) fires for a case whose window is nearly gone; the manager gets it in the digest only.
    const low = await createCase(200);
    await startOneWorker();
    const [fraction] = await eventually(async () => {
      const rows = await sql<{ id: string; state: string; fired_at: Date }>(t.db.ownerUrl, `SELECT id, state, fired_at FROM alerts WHERE case_id = $1 AND rule_key = 'fraction:0.5'`, [low.id]);
      return rows[0]?.state === 'fired' ? rows : undefined;
    });
    await sleep(500);
    expect(smtp.messages.some((m) => m.messageId?.includes(fraction.id))).toBe(false);
    // The worker's own DigestService (the one its hourly cron job calls), with an explicit hour.
    const digests = workers[workers.length - 1].app.get(DigestService);
    const nextHour = new Date(fraction.fired_at.getTime() + 3_600_000);
    expect(await digests.sendDigests(nextHour)).toBe(1);
    expect(await digests.sendDigests(nextHour)).toBe(0); // once per user and hour
    const digest = await smtp.waitFor((m) => m.subject?.startsWith('Kept digest') ?? false);
    expect(digest.text).toContain(`K-`);
    expect(digest.text).toContain('50 % of the promise window has elapsed');
    const off = await api('patch', `/alert-policies/${policy.body.id}`, 'manager').set('If-Match', 'W/"1"').send({ active: false });
    expect(off.status).toBe(200);
  });
});
