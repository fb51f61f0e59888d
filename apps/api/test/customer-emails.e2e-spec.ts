import type { ParsedMail } from 'mailparser';
import { loadConfig } from '../src/config/config';
import { RunningWorker, startWorker } from '../src/create-worker';
import { CustomerEmailDeliveryService, unsubscribeToken } from '../src/modules/customer-emails';
import { createTestApp, TestApp } from './support/app';
import { startSmtpCapture, SmtpCapture } from './support/smtp';
import { count, sql } from './support/sql';
import { eventually } from './support/wait';

/**
 * Optional e-mails to the customer (issue 14): promise changed, engineer on the way, fix done, each with
 * her status link and an unsubscribe link, in her language, through an exactly-once outbox sent by real
 * graphile-worker jobs to a real SMTP server. Off unless the tenant opts in; her unsubscribe stops them.
 */
// Waits are for conditions; the generous limits only bound a failure on a loaded machine.
jest.setTimeout(120_000);

describe('customer e-mails', () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  const workers: RunningWorker[] = [];
  const auth: Record<string, string> = {};

  const api = (method: 'get' | 'post' | 'patch', path: string, who = 'dispatcher') =>
    t.http()[method](`/api/v1${path}`).set('Authorization', auth[who]);

  const workerConfig = () =>
    loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: t.db.ownerUrl,
      APP_DATABASE_URL: t.db.appUrl,
      // The API's secret: the unsubscribe token the worker writes is checked by the API.
      JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
      LOG_LEVEL: 'silent',
      WORKER_POLL_INTERVAL_MS: '50',
      WORKER_HEARTBEAT_MS: '200',
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://kept.example',
    });

  const mailsOf = (reference: string) => smtp.messages.filter((m) => m.subject?.startsWith(`${reference}:`));
  const statusTokenIn = (m: ParsedMail) => /https:\/\/kept\.example\/s\/([A-Za-z0-9_-]{43})(?:\s|$)/.exec(m.text ?? '')?.[1];
  const unsubscribeTokenIn = (m: ParsedMail) => /\/s\/unsubscribe\/([A-Za-z0-9_-]{46})/.exec(m.text ?? '')?.[1];
  /** The raw header (mailparser folds List-* headers into one structured `list` entry). */
  const headerOf = (m: ParsedMail, name: string) => m.headerLines.find((h) => h.key === name)?.line.slice(name.length + 1).trim();
  const emailsOf = (caseId: string) =>
    sql<{ id: string; event: string; state: string; tenant_id: string }>(
      t.db.ownerUrl,
      `SELECT id, event, state, tenant_id FROM customer_emails WHERE case_id = $1 ORDER BY created_at`,
      [caseId],
    );

  async function setEmails(on: boolean) {
    const current = await api('get', '/organization/settings', 'admin');
    expect(current.status).toBe(200);
    const res = await api('patch', '/organization/settings', 'admin').set('If-Match', current.headers.etag).send({ customerEmails: on });
    expect(res.status).toBe(200);
    expect(res.body.customerEmails).toBe(on);
  }

  async function newCustomer(language: 'en' | 'de', email: string) {
    const res = await api('post', '/customers').send({ name: `Customer ${email}`, email, language });
    expect(res.status).toBe(201);
    const site = await api('post', '/sites').send({ customerId: res.body.id, name: 'Main site', timeZone: 'Europe/Berlin' });
    expect(site.status).toBe(201);
    return { id: res.body.id as string, siteId: site.body.id as string };
  }

  async function newCase(customer: { id: string; siteId: string }) {
    const now = Date.now();
    const res = await api('post', '/cases').send({
      customerId: customer.id,
      siteId: customer.siteId,
      category: 'customer-email-test',
      priority: 'normal',
      summary: 'Analyser shows error 42',
      openedAt: new Date(now - 3_600_000).toISOString(),
      promisedAt: new Date(now + 43_200_000).toISOString(),
      assigneeId: engineerId,
    });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, version: res.body.version as number, reference: res.body.reference as string };
  }

  const repromise = async (c: { id: string; version: number }, reason: string) => {
    const res = await api('post', `/cases/${c.id}/promise`).send({
      promisedAt: new Date(Date.parse('2030-03-04T15:30:00Z')).toISOString(),
      reason,
      version: c.version,
    });
    expect(res.status).toBe(200);
    c.version = res.body.version;
  };
  const onTheWay = async (c: { id: string; version: number }) => {
    const res = await api('post', `/cases/${c.id}/milestones`, 'engineer').send({ kind: 'engineer_eta', note: 'ETA 2030-03-04T09:45:00Z', version: c.version });
    expect(res.status).toBe(201);
    c.version = res.body.version;
  };
  const fixed = async (c: { id: string; version: number }) => {
    const res = await api('post', `/cases/${c.id}/fixed`, 'engineer').send({ version: c.version });
    expect(res.status).toBe(200);
    c.version = res.body.version;
  };

  let engineerId: string;

  beforeAll(async () => {
    t = await createTestApp();
    smtp = await startSmtpCapture();
    for (const role of ['admin', 'dispatcher', 'engineer']) auth[role] = await t.login(`${role}@demo.kept.test`);
    [{ id: engineerId }] = await sql<{ id: string }>(t.db.ownerUrl, `SELECT id FROM users WHERE email = 'engineer@demo.kept.test'`);
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await smtp?.close();
    await t?.close();
  });
  beforeEach(() => sql(t.db.ownerUrl, `DELETE FROM throttle_counters`));

  it('sends nothing unless the tenant opted in', async () => {
    const customer = await newCustomer('en', 'quiet@example.com');
    const c = await newCase(customer);
    await repromise(c, 'Part on back order');
    await onTheWay(c);
    await fixed(c);
    expect(await emailsOf(c.id)).toEqual([]);
  });

  it('sends each event exactly once with two workers and a replayed job, in her language, with her links', async () => {
    await setEmails(true);
    workers.push(await startWorker(workerConfig()), await startWorker(workerConfig()));
    const customer = await newCustomer('de', 'praxis@example.com');
    const c = await newCase(customer);

    await repromise(c, 'Ersatzteil kommt morgen');
    await onTheWay(c);
    await fixed(c);
    const [promise, onWay, fix] = await eventually(async () => {
      const mails = mailsOf(c.reference);
      return mails.length >= 3 ? ['Zusage', 'unterwegs', 'behoben'].map((w) => mails.find((m) => m.subject!.includes(w))!) : undefined;
    }, 60_000, 'three e-mails');

    // German, with the promise in her site's zone (15:30 UTC is 16:30 in Berlin in March) and the reason.
    expect(promise.subject).toBe(`${c.reference}: Unsere Zusage an Sie hat sich geändert`);
    expect(promise.text).toContain('16:30');
    expect(promise.text).toContain('Grund: Ersatzteil kommt morgen');
    expect(onWay.subject).toMatch(/: \S+ ist unterwegs$/);
    expect(onWay.text).toContain('10:45'); // the ETA, 09:45 UTC, in Berlin
    expect(fix.text).toContain('Die Störung ist behoben');
    expect(promise.to).toMatchObject({ text: 'praxis@example.com' });
    expect(headerOf(promise, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    // Each e-mail's status link opens her page.
    for (const m of [promise, onWay, fix]) {
      const token = statusTokenIn(m);
      expect(token).toBeDefined();
      const page = await t.http().get(`/api/v1/public/status/${token}`);
      expect(page.status).toBe(200);
      expect(page.body.reference).toBe(c.reference);
    }

    // Exactly once: all delivered, and replaying every job (a crash before the job was marked done) sends nothing.
    const rows = await eventually(async () => {
      const r = await emailsOf(c.id);
      return r.length === 3 && r.every((e) => e.state === 'delivered') ? r : undefined;
    }, 60_000, 'three delivered rows');
    const delivery = workers[0].app.get(CustomerEmailDeliveryService);
    const replays = await Promise.all(rows.flatMap((r) => [0, 1].map(() => delivery.deliver({ emailId: r.id, tenantId: r.tenant_id }))));
    expect(replays.every((o) => o === 'nothing to do')).toBe(true);
    for (const r of rows) {
      await sql(t.db.ownerUrl, `SELECT graphile_worker.add_job('deliver_customer_email', json_build_object('emailId', $1::text, 'tenantId', $2::text))`, [r.id, r.tenant_id]);
    }
    await eventually(async () => ((await count(t.db.ownerUrl, 'graphile_worker._private_jobs', `task_id = (SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'deliver_customer_email')`)) === 0 ? true : undefined), 60_000, 'replayed jobs done');
    expect(mailsOf(c.reference)).toHaveLength(3);
    expect(new Set(mailsOf(c.reference).map((m) => m.messageId)).size).toBe(3);
  });

  it('claims a row for one sender only: two concurrent runs of one pending e-mail send it once', async () => {
    // No worker: the two runs are called directly, at the same time.
    while (workers.length) await workers.pop()!.stop();
    const customer = await newCustomer('en', 'race@example.com');
    const c = await newCase(customer);
    await repromise(c, 'Engineer ill');
    const [row] = await emailsOf(c.id);
    expect(row).toMatchObject({ event: 'promise_changed', state: 'pending' });
    const w = await startWorker(workerConfig());
    workers.push(w);
    const delivery = w.app.get(CustomerEmailDeliveryService);
    const outcomes = await Promise.all([delivery.deliver({ emailId: row.id, tenantId: row.tenant_id }), delivery.deliver({ emailId: row.id, tenantId: row.tenant_id })]);
    expect(outcomes.filter((o) => o === 'delivered').length + outcomes.filter((o) => o === 'nothing to do').length).toBe(2);
    await eventually(async () => ((await emailsOf(c.id))[0].state === 'delivered' ? true : undefined), 60_000, 'delivered');
    await eventually(async () => (mailsOf(c.reference).length === 1 ? true : undefined), 60_000, 'one mail');
    // English: her language.
    expect(mailsOf(c.reference)[0].subject).toBe(`${c.reference}: our promise to you has changed`);
    expect(mailsOf(c.reference)[0].text).toContain('Why: Engineer ill');
  });

  it('stops after her unsubscribe link; the link is idempotent and answers alike for any token', async () => {
    if (!workers.length) workers.push(await startWorker(workerConfig()));
    const customer = await newCustomer('en', 'leave-me@example.com');
    const c = await newCase(customer);
    await repromise(c, 'Road closed');
    const mail = await smtp.waitFor((m) => m.subject === `${c.reference}: our promise to you has changed`, 60_000);
    const token = unsubscribeTokenIn(mail);
    expect(token).toBeDefined();
    expect(headerOf(mail, 'list-unsubscribe')).toContain(`/api/v1/public/unsubscribe/${token}`);

    // Unknown, forged (another customer's id, wrong MAC) and malformed tokens: the same answer, nothing changed.
    const forged = `${Buffer.from(customer.id.replace(/-/g, ''), 'hex').toString('base64url')}${'A'.repeat(24)}`;
    for (const bad of [forged, 'x'.repeat(46), 'short']) {
      const res = await t.http().post(`/api/v1/public/unsubscribe/${bad}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ unsubscribed: true });
      expect(res.headers['cache-control']).toBe('no-store');
    }
    expect(await count(t.db.ownerUrl, 'customers', `emails_unsubscribed_at IS NOT NULL`)).toBe(0);

    for (let i = 0; i < 2; i++) {
      const res = await t.http().post(`/api/v1/public/unsubscribe/${token}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ unsubscribed: true });
    }
    const [{ emails_unsubscribed_at: at }] = await sql<{ emails_unsubscribed_at: Date }>(
      t.db.ownerUrl,
      `SELECT emails_unsubscribed_at FROM customers WHERE id = $1`,
      [customer.id],
    );
    expect(at).toBeInstanceOf(Date);

    // Nothing more is queued or sent to her; another customer of the tenant still gets hers.
    await onTheWay(c);
    await fixed(c);
    expect((await emailsOf(c.id)).map((e) => e.event)).toEqual(['promise_changed']);
    const other = await newCase(await newCustomer('en', 'stays@example.com'));
    await fixed(other);
    await smtp.waitFor((m) => m.subject === `${other.reference}: the fix is done`, 60_000);
    expect(mailsOf(c.reference)).toHaveLength(1);
  });

  it('skips an e-mail still waiting when she unsubscribes', async () => {
    while (workers.length) await workers.pop()!.stop();
    const customer = await newCustomer('en', 'later@example.com');
    const c = await newCase(customer);
    await repromise(c, 'Storm');
    expect((await emailsOf(c.id))[0].state).toBe('pending');
    const res = await t.http().post(`/api/v1/public/unsubscribe/${unsubscribeToken('test-secret-that-is-at-least-32-characters-long', customer.id)}`);
    expect(res.status).toBe(200);
    expect((await emailsOf(c.id))[0].state).toBe('skipped');
  });
});
