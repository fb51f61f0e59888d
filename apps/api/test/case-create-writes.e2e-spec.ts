import { createHmac } from 'node:crypto';
import { formatInstantIn } from '@kept/domain';
import { Client } from 'pg';
import { TenantContext } from '../src/common/database/tenant-context';
import { AlertPlanner } from '../src/modules/alerts';
import { APP_CONFIG, AppConfig } from '../src/config/config';
import { EVENTS_CHANNEL } from '../src/modules/events';
import { sql } from './support/sql';
import { casesFixture, PROMISED_AT, REQUIRED_AT } from './support/cases-fixture';
import { eventually } from './support/wait';

/**
 * A create writes the case, its first promise, its ledger, its alerts and its live-stream notice in two
 * statements and answers from what it wrote (no read-back): these tests pin that the rows and the answer
 * are exactly those of the step-by-step path (a detail read, a re-plan from scratch).
 */
describe('POST /cases writes what the step-by-step path wrote', () => {
  const fx = casesFixture();
  const { post, get, fullCase } = fx;
  const owner = () => fx.t.db.ownerUrl;
  let assigneeId: string;
  let tenantId: string;
  beforeAll(async () => {
    [{ id: assigneeId, tenant_id: tenantId }] = await sql<{ id: string; tenant_id: string }>(owner(), `SELECT id, tenant_id FROM users WHERE email = 'engineer@demo.kept.test'`);
  });

  it('answers the created case exactly as a detail read of it answers', async () => {
    const res = await post('/cases', { ...fullCase(), assigneeId });
    expect(res.status).toBe(201);
    // What makes the comparison meaningful: every part of the detail is filled.
    expect(res.body.site).not.toBeNull();
    expect(res.body.assignee).toEqual(expect.objectContaining({ id: assigneeId, name: expect.any(String) }));
    expect(res.body.ledger.map((e: { field: string }) => e.field)).toEqual(['status', 'requiredAt', 'expectedAt', 'promisedAt', 'assignee']);
    expect(res.body.ledger.find((e: { field: string }) => e.field === 'assignee').newLabel).toBe(res.body.assignee.name);
    expect(res.body.promises).toHaveLength(1);
    expect(res.body.promises[0].keepProbability).toEqual(expect.any(Number));
    expect(res.body.gaps.calendar).toBe('contract');

    const read = await get(`/cases/${res.body.id}`);
    expect(read.status).toBe(200);
    expect(res.body).toEqual(read.body);
  });

  it('stores the extra segment values a create carries, and refuses bad ones with a problem, writing nothing', async () => {
    const { body } = await post('/cases', { ...fullCase(), segments: { queue: ' PWDx_District 1C ', department: 'PWDx' } });
    const [c] = await sql<{ segments: unknown }>(owner(), `SELECT segments FROM cases WHERE id = $1`, [body.id]);
    expect(c.segments).toEqual({ queue: 'PWDx_District 1C', department: 'PWDx' });
    const [plain] = await sql<{ segments: unknown }>(owner(), `SELECT segments FROM cases WHERE id = $1`, [(await post('/cases', fullCase())).body.id]);
    expect(plain.segments).toEqual({});

    const [{ n: before }] = await sql<{ n: number }>(owner(), `SELECT count(*)::int AS n FROM cases`);
    for (const segments of [{ region: 'north' }, { Queue: 'x' }, { queue: 7 }, { queue: 'x'.repeat(201) }, ['queue']]) {
      const res = await post('/cases', { ...fullCase(), segments });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.some((e: { path: string }) => e.path.startsWith('segments'))).toBe(true);
    }
    const [{ n: after }] = await sql<{ n: number }>(owner(), `SELECT count(*)::int AS n FROM cases`);
    expect(after).toBe(before);
  });

  it('writes the rows one statement at a time would: ledger in order, promise, the case takes its keep-probability', async () => {
    const { body } = await post('/cases', fullCase());
    const ledger = await sql<{ id: string; field: string; new_value: string; promise_version: number; tenant_id: string }>(
      owner(),
      `SELECT id::text, field, new_value, promise_version, tenant_id FROM case_ledger WHERE case_id = $1 ORDER BY id`,
      [body.id],
    );
    expect(ledger.map((l) => l.field)).toEqual(['status', 'requiredAt', 'expectedAt', 'promisedAt']);
    expect(ledger.every((l) => l.promise_version === 1 && l.tenant_id === tenantId)).toBe(true);
    const [c] = await sql<{ number: number; promise_keep_probability: number | null; required_version: number }>(
      owner(),
      `SELECT number, promise_keep_probability, required_version FROM cases WHERE id = $1`,
      [body.id],
    );
    const [p] = await sql<{ keep_probability: number | null; breakdown: unknown }>(owner(), `SELECT keep_probability, breakdown FROM case_promises WHERE case_id = $1`, [body.id]);
    expect(body.reference).toBe(`K-${c.number}`);
    expect(p.keep_probability).toEqual(expect.any(Number));
    // The trigger on case_promises fired though the case row came in the same statement.
    expect(c.promise_keep_probability).toBe(p.keep_probability);
    expect(c.required_version).toBe(1);
    expect(p.breakdown).toEqual(fullCase().promiseBreakdown);
  });

  it('plans the same alerts, jobs and risk as a re-plan of the case from scratch', async () => {
    const { body } = await post('/cases', fullCase());
    const snapshot = async () => ({
      alerts: await sql(
        owner(),
        `SELECT policy_id, rule_key, kind, target, target_version, severity, due_at, message, recipient_roles, state
           FROM alerts WHERE case_id = $1 ORDER BY policy_id, rule_key, target_version`,
        [body.id],
      ),
      // Each pending alert has the firing job of its tenant and due second: the task, the tenant and second in
      // the payload, run 200 ms before the second starts, 50 attempts.
      jobs: await sql(
        owner(),
        `SELECT t.identifier AS task_identifier, j.run_at = to_timestamp(floor(extract(epoch FROM a.due_at))) - interval '200 milliseconds' AS at_due,
                j.max_attempts, (j.payload->>'second')::bigint = floor(extract(epoch FROM a.due_at))::bigint AS for_alert,
                j.payload->>'tenantId' = a.tenant_id::text AS for_tenant, a.policy_id, a.rule_key
           FROM alerts a JOIN graphile_worker._private_jobs j ON j.key = 'fire:' || a.tenant_id || ':' || floor(extract(epoch FROM a.due_at))::bigint
           JOIN graphile_worker._private_tasks t ON t.id = j.task_id
          WHERE a.case_id = $1 AND a.state = 'pending' ORDER BY a.policy_id, a.rule_key`,
        [body.id],
      ),
      risk: (await sql(owner(), `SELECT at_risk_at, paused_since FROM cases WHERE id = $1`, [body.id]))[0],
    });
    const created = await snapshot();
    expect(created.alerts.length).toBeGreaterThan(0);
    // Each message names its own deadline (the promise's or the need's) in Kept's one format, in the zone
    // of the case's clock (its contract's calendar): formatted once per plan, not once per alert.
    const [{ zone }] = await sql<{ zone: string }>(
      owner(),
      `SELECT cal.definition->>'timeZone' AS zone FROM contracts k JOIN calendars cal ON cal.id = k.calendar_id WHERE k.id = $1`,
      [fx.contractId],
    );
    const deadline = { promised: formatInstantIn(new Date(PROMISED_AT), zone), required: formatInstantIn(new Date(REQUIRED_AT), zone) };
    expect(new Set(created.alerts.map((a) => a.target))).toEqual(new Set(['promised', 'required']));
    for (const a of created.alerts as { target: 'promised' | 'required'; message: string }[]) {
      expect(a.message).toContain(deadline[a.target]);
      expect(a.message).not.toContain(deadline[a.target === 'promised' ? 'required' : 'promised']);
    }
    expect(created.jobs).toHaveLength(created.alerts.length);
    expect(created.jobs.every((j) => j.task_identifier === 'fire_due_alerts' && j.at_due && j.max_attempts === 50 && j.for_alert && j.for_tenant)).toBe(true);

    // From scratch: no alerts, no risk; the planner reads the case back and plans it.
    await sql(owner(), `DELETE FROM alerts WHERE case_id = $1`, [body.id]);
    await sql(owner(), `UPDATE cases SET at_risk_at = NULL, paused_since = NULL WHERE id = $1`, [body.id]);
    const result = await fx.t.app.get(TenantContext).run(tenantId, () => fx.t.app.get(AlertPlanner).replanCase(body.id));
    expect(result).toEqual({ planned: created.alerts.length, cancelled: 0 });
    expect(await snapshot()).toEqual(created);
  });

  it('tells the live streams, once the create commits', async () => {
    const listener = new Client({ connectionString: fx.t.db.appUrl });
    await listener.connect();
    const heard: { tenantId: string; event: { type: string; caseId: string; version: number; status: string } }[] = [];
    // Every payload is `<HMAC-SHA256 hex>.<json>` under the server's events key (a forged NOTIFY is not relayed).
    const key = fx.t.app.get<AppConfig>(APP_CONFIG).eventsKey;
    listener.on('notification', (m) => {
      const payload = m.payload ?? '';
      const json = payload.slice(65);
      expect(payload.slice(0, 65)).toBe(`${createHmac('sha256', key).update(json).digest('hex')}.`);
      heard.push(JSON.parse(json));
    });
    await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
    try {
      const { body } = await post('/cases', fx.simpleCase());
      await eventually(async () => heard.some((h) => h.event.type === 'case' && h.event.caseId === body.id), 15_000, 'the case notice');
      expect(heard.filter((h) => h.event.type === 'case' && h.event.caseId === body.id)).toEqual([
        { tenantId, event: { type: 'case', caseId: body.id, version: 1, status: 'open' } },
      ]);
    } finally {
      await listener.end();
    }
  });
});
