import { loadConfig } from '../src/config/config';
import { RunningWorker, startWorker } from '../src/create-worker';
import { createTestApp, TestApp } from './support/app';
import { startSmtpCapture, SmtpCapture } from './support/smtp';
import { sql } from './support/sql';
import { eventually, sleep } from './support/wait';

/**
 * Issue 13, item 1 end to end on a real PostgreSQL and real graphile-worker jobs: a case that is days
 * late raises one alert per rule (never a burst of repeats), the repeat alert fires again in place
 * (count and last time, one delivery per firing), the inbox shows the caller's alerts by default, and
 * "acknowledge all for this case" is all or nothing.
 */
describe('alert floods (one repeat alert, my alerts, acknowledge a case)', () => {
  let t: TestApp;
  let smtp: SmtpCapture;
  let worker: RunningWorker | null = null;
  let auth: { dispatcher: string; manager: string; viewer: string };
  let customerId: string;
  let policyId: string;

  const api = (method: 'get' | 'post' | 'patch', path: string, who: keyof typeof auth = 'dispatcher') =>
    t.http()[method](`/api/v1${path}`).set('Authorization', auth[who]);

  const startOneWorker = async () => {
    worker = await startWorker(
      loadConfig({
        NODE_ENV: 'test',
        DATABASE_URL: t.db.ownerUrl,
        APP_DATABASE_URL: t.db.appUrl,
        LOG_LEVEL: 'silent',
        WORKER_POLL_INTERVAL_MS: '50',
        WORKER_HEARTBEAT_MS: '200',
        WORKER_STALE_AFTER_MS: '1500',
        SMTP_URL: smtp.url,
      }),
    );
  };
  const stopWorker = async () => {
    await worker?.stop();
    worker = null;
  };

  interface Row {
    id: string;
    rule_key: string;
    kind: string;
    state: string;
    due_at: Date | null;
    fired_at: Date | null;
    last_fired_at: Date | null;
    repeat_count: number;
  }
  const alertsOf = (caseId: string) =>
    sql<Row>(
      t.db.ownerUrl,
      `SELECT id, rule_key, kind, state, due_at, fired_at, last_fired_at, repeat_count FROM alerts
        WHERE case_id = $1 AND policy_id = $2 ORDER BY rule_key`,
      [caseId, policyId],
    );
  const repeatOf = async (caseId: string) => (await alertsOf(caseId)).find((a) => a.kind === 'repeat');

  /** A case opened 4 days ago whose promise fell due 3 days ago, created only now. */
  async function createLateCase(summary: string) {
    const day = 86_400_000;
    const res = await api('post', '/cases').send({
      customerId,
      category: 'flood-test',
      priority: 'normal',
      summary,
      openedAt: new Date(Date.now() - 4 * day).toISOString(),
      promisedAt: new Date(Date.now() - 3 * day).toISOString(),
    });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  }

  beforeAll(async () => {
    t = await createTestApp();
    smtp = await startSmtpCapture();
    auth = {
      dispatcher: await t.login('dispatcher@demo.kept.test'),
      manager: await t.login('manager@demo.kept.test'),
      viewer: await t.login('viewer@demo.kept.test'),
    };
    customerId = (await api('post', '/customers').send({ name: 'Flood test customer' })).body.id;
    // The demo's policies off (their alerts would not change the rule, only the noise); one policy like
    // the default one on the promise: breach, a repeat every 30 min, an escalation to managers after 60.
    const defaults = (await api('get', '/alert-policies')).body as { id: string; version: number }[];
    for (const p of defaults) {
      expect((await api('patch', `/alert-policies/${p.id}`, 'manager').set('If-Match', `W/"${p.version}"`).send({ active: false })).status).toBe(200);
    }
    const created = await api('post', '/alert-policies', 'manager').send({
      name: 'Flood watch',
      target: 'promised',
      basis: 'wall',
      fractions: [0.5, 0.75, 0.9],
      leadMinutes: [30],
      atBreach: true,
      repeatEveryMinutes: 30,
      escalateAfterMinutes: 60,
      atRisk: true,
      channels: ['in_app', 'email'],
      recipientRoles: ['dispatcher'],
      active: true,
    });
    expect(created.status).toBe(201);
    policyId = created.body.id;
  });

  afterAll(async () => {
    await stopWorker();
    await smtp?.close();
    await t?.close();
  });

  it('raises one alert per rule for a case created 3 days late, and its repeat fires again in place', async () => {
    const c = await createLateCase('Late by three days');
    await startOneWorker();
    const fired = await eventually(async () => {
      const rows = await alertsOf(c.id);
      return rows.filter((a) => a.state === 'fired').length >= 2 ? rows : undefined;
    }, 15_000, 'breach and escalation fired');
    await sleep(1000);
    const rows = await alertsOf(c.id);
    // Exactly the breach, the escalation and one repeat: no warnings (all superseded) and no burst of
    // the 144 repeat slots that lie behind the case.
    expect(rows.map((a) => `${a.rule_key}:${a.state}`).sort()).toEqual(['breach:fired', 'escalation:fired', 'repeat:pending']);
    expect(fired.length).toBe(3);
    const repeat = rows.find((a) => a.kind === 'repeat')!;
    // The repeat waits for the next slot after now, within the policy's 30 minutes.
    expect(repeat.due_at!.getTime()).toBeGreaterThan(Date.now());
    expect(repeat.due_at!.getTime()).toBeLessThanOrEqual(Date.now() + 30 * 60_000);

    // Its time comes (moved by hand to the past: the job follows through the trigger): it fires in place.
    await sql(t.db.ownerUrl, `UPDATE alerts SET due_at = now() - interval '1 second' WHERE id = $1`, [repeat.id]);
    const once = await eventually(async () => {
      const r = await repeatOf(c.id);
      return r && r.repeat_count === 1 ? r : undefined;
    }, 15_000, 'first repeat');
    expect(once).toMatchObject({ id: repeat.id, state: 'fired', rule_key: 'repeat' });
    expect(once.due_at!.getTime()).toBeGreaterThan(Date.now());

    // The worker stops; two hours pass (four slots): on its return the repeat fires once, not four times.
    await stopWorker();
    await sql(t.db.ownerUrl, `UPDATE alerts SET due_at = now() - interval '2 hours', last_fired_at = now() - interval '150 minutes' WHERE id = $1`, [
      repeat.id,
    ]);
    await startOneWorker();
    const twice = await eventually(async () => {
      const r = await repeatOf(c.id);
      return r && r.repeat_count === 2 ? r : undefined;
    }, 15_000, 'second repeat');
    await sleep(1000);
    const after = await alertsOf(c.id);
    expect(after).toHaveLength(3);
    expect((await repeatOf(c.id))!.repeat_count).toBe(2);
    expect(twice.due_at!.getTime()).toBeGreaterThan(Date.now());
    expect(twice.last_fired_at!.getTime()).toBeGreaterThan(once.last_fired_at!.getTime());

    // One e-mail per recipient per firing — the policy's rhythm, no more: breach once, repeat twice.
    const deliveries = await sql<{ alert_id: string; repeat_number: number; message_id: string }>(
      t.db.ownerUrl,
      `SELECT d.alert_id, d.repeat_number, d.message_id FROM deliveries d JOIN users u ON u.id = d.user_id
        WHERE d.alert_id = ANY($1::uuid[]) AND d.channel = 'email' AND u.role = 'dispatcher' ORDER BY d.repeat_number`,
      [after.map((a) => a.id)],
    );
    expect(deliveries.filter((d) => d.alert_id === repeat.id).map((d) => d.repeat_number)).toEqual([1, 2]);
    expect(new Set(deliveries.map((d) => d.message_id)).size).toBe(deliveries.length);

    // The inbox shows it once, with its count and last time.
    const inbox = await api('get', `/alerts?caseId=${c.id}`);
    const shown = inbox.body.items.find((a: { id: string }) => a.id === repeat.id);
    expect(shown).toMatchObject({ ruleKind: 'repeat', repeatCount: 2, lastFiredAt: twice.last_fired_at!.toISOString() });
  });

  it('shows the caller her own alerts (her role, her team) by default in the inbox, every alert on `for=all`', async () => {
    const c = await createLateCase('Whose alerts');
    await startOneWorker();
    await eventually(async () => ((await alertsOf(c.id)).filter((a) => a.state === 'fired').length >= 2 ? true : undefined));
    const ids = async (who: keyof typeof auth, scope: 'me' | 'all') =>
      ((await api('get', `/alerts?caseId=${c.id}&for=${scope}`, who)).body.items as { ruleKind: string }[]).map((a) => a.ruleKind).sort();
    // Breach and repeat go to dispatchers, the escalation to managers.
    expect(await ids('dispatcher', 'me')).toEqual(['breach']);
    expect(await ids('manager', 'me')).toEqual(['escalation']);
    expect(await ids('dispatcher', 'all')).toEqual(['breach', 'escalation']);
    // A dispatcher of another team no longer sees the case's alerts as hers.
    await sql(t.db.ownerUrl, `UPDATE cases SET team = 'Field team North' WHERE id = $1`, [c.id]);
    await sql(t.db.ownerUrl, `UPDATE users SET team = 'Field team South' WHERE email = 'dispatcher@demo.kept.test'`);
    try {
      expect(await ids('dispatcher', 'me')).toEqual([]);
      expect(await ids('dispatcher', 'all')).toEqual(['breach', 'escalation']);
    } finally {
      await sql(t.db.ownerUrl, `UPDATE users SET team = NULL WHERE email = 'dispatcher@demo.kept.test'`);
    }
    expect((await api('get', '/alerts?for=everyone')).status).toBe(400);
  });

  it('acknowledges all open alerts of a case at once: all or nothing, idempotent, stops the repeats', async () => {
    const c = await createLateCase('Acknowledge them all');
    const other = await createLateCase('Another case');
    await startOneWorker();
    const open = await eventually(async () => {
      const rows = await alertsOf(c.id);
      return rows.filter((a) => a.state === 'fired').length >= 2 ? rows.filter((a) => a.state === 'fired') : undefined;
    });
    const [otherFired] = await eventually(async () => {
      const rows = (await alertsOf(other.id)).filter((a) => a.state === 'fired');
      return rows.length ? rows : undefined;
    });
    const ids = open.map((a) => a.id);
    const before = JSON.stringify(await alertsOf(c.id));

    // Bad input changes nothing and says why.
    const foreign = await api('post', '/alerts/acknowledge').send({ caseId: c.id, alertIds: [...ids, otherFired.id] });
    expect(foreign.status).toBe(422);
    expect(foreign.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(foreign.body).toMatchObject({ code: 'ALERTS_NOT_OF_CASE', errors: [{ path: `alertIds[${ids.length}]` }] });
    const pending = (await alertsOf(c.id)).find((a) => a.state === 'pending')!;
    const notFired = await api('post', '/alerts/acknowledge').send({ caseId: c.id, alertIds: [...ids, pending.id] });
    expect(notFired.status).toBe(409);
    expect(notFired.body).toMatchObject({ code: 'ALERT_NOT_FIRED' });
    const noCase = await api('post', '/alerts/acknowledge').send({ caseId: '00000000-0000-4000-8000-000000000000', alertIds: ids });
    expect(noCase.status).toBe(404);
    expect(noCase.body).toMatchObject({ code: 'CASE_NOT_FOUND' });
    expect((await api('post', '/alerts/acknowledge').send({ caseId: c.id, alertIds: [] })).status).toBe(400);
    expect((await api('post', '/alerts/acknowledge').send({ caseId: c.id, alertIds: ids, extra: 1 })).status).toBe(400);
    expect((await api('post', '/alerts/acknowledge', 'viewer').send({ caseId: c.id, alertIds: ids })).status).toBe(403);
    expect(JSON.stringify(await alertsOf(c.id))).toBe(before);

    const ack = await api('post', '/alerts/acknowledge').set('Idempotency-Key', `ack-${c.id}`).send({ caseId: c.id, alertIds: ids });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ caseId: c.id, acknowledged: ids.length });
    expect(ack.body.items.map((a: { state: string }) => a.state)).toEqual(ids.map(() => 'acknowledged'));
    // Acknowledged: the repeat is cancelled (it had not fired yet) and plans no more; the other case is untouched.
    const rows = await alertsOf(c.id);
    expect(rows.filter((a) => a.kind === 'repeat' && a.state === 'pending')).toEqual([]);
    expect((await alertsOf(other.id)).find((a) => a.id === otherFired.id)!.state).toBe('fired');
    // A replay answers the same; a plain retry acknowledges nothing more.
    const replay = await api('post', '/alerts/acknowledge').set('Idempotency-Key', `ack-${c.id}`).send({ caseId: c.id, alertIds: ids });
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const retry = await api('post', '/alerts/acknowledge').send({ caseId: c.id, alertIds: ids });
    expect(retry.body).toMatchObject({ acknowledged: 0 });
  });

  afterEach(async () => {
    await stopWorker();
  });
});
