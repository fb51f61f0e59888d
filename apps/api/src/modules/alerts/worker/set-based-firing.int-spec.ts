import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Client } from 'pg';
import { eventually } from '../../../../test/support/wait';
import { createTestDatabase, TestDatabase } from '../../../../test/support/database';
import { CoreModule } from '../../../common/core.module';
import { dataSourceOptions } from '../../../common/database/data-source';
import { AppConfig, loadConfig } from '../../../config/config';
import { RunningWorker, startWorker } from '../../../create-worker';
import { entities } from '../../../database/entities';
import { MetricsModule } from '../../metrics';
import { seedDemo } from '../../../database/demo-seed';
import { AlertFiringService, FIRE_BATCH } from './alert-firing.service';
import { TENANT_FIRING_LOCK } from './firing.repository';
import { AlertsWorkerModule } from './worker.module';

@Module({})
class FiringTestModule {}

/**
 * Set-based firing (issue 18) on a real PostgreSQL: `AlertFiringService.fireDue` fires a tenant's due
 * alerts in batches of one statement each. No job pool runs in the firing tests (the services are called
 * directly, as two concurrent firers would call them); the delivery test starts a real worker.
 */
describe('set-based alert firing', () => {
  let db: TestDatabase;
  let owner: Client;
  let listener: Client;
  let app: INestApplicationContext;
  let firing: AlertFiringService;
  let config: AppConfig;
  let tenant: string;
  let customer: string;
  let policy: string;
  let managers: number;
  const heard = new Map<string, number>();
  let batch = 0;

  const asTenant = async <T>(work: () => Promise<T>): Promise<T> => {
    await owner.query('BEGIN');
    await owner.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant]);
    try {
      const result = await work();
      await owner.query('COMMIT');
      return result;
    } catch (err) {
      await owner.query('ROLLBACK');
      throw err;
    }
  };

  /** `n` open cases of a fresh category, each with a breach alert of the test policy due at `dueSql`. */
  async function alerts(n: number, dueSql = `now() - interval '1 second'`, extra: { policy?: string } = {}) {
    const tag = `batch-${++batch}`;
    return asTenant(async () => {
      await owner.query(
        `INSERT INTO cases (tenant_id, number, customer_id, category, priority, summary, opened_at, promised_at, promise_version)
         SELECT $1, (SELECT coalesce(max(number), 0) FROM cases) + i, $2, $3, 'normal', 'Burst case ' || i, now() - interval '1 hour', now(), 1
           FROM generate_series(1, $4) i`,
        [tenant, customer, tag, n],
      );
      const { rows } = await owner.query<{ id: string; case_id: string }>(
        `INSERT INTO alerts (tenant_id, case_id, policy_id, rule_key, kind, target, target_version, severity, due_at, message, recipient_roles)
         SELECT $1, c.id, $2, 'breach', 'breach', 'promised', 1, 'high', ${dueSql}, 'burst ' || c.number, '{manager}'
           FROM cases c WHERE c.category = $3 ORDER BY c.number RETURNING id, case_id`,
        [tenant, extra.policy ?? policy, tag],
      );
      return rows;
    });
  }

  const states = async (ids: string[]) =>
    (await owner.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM alerts WHERE id = ANY($1) GROUP BY state`, [ids])).rows.reduce<
      Record<string, number>
    >((acc, r) => ({ ...acc, [r.state]: r.n }), {});
  const second = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.ownerUrl, { cases: 2 });
    owner = new Client({ connectionString: db.ownerUrl });
    await owner.connect();
    tenant = (await owner.query(`SELECT id FROM organizations WHERE slug = 'demo'`)).rows[0].id;
    managers = (await owner.query(`SELECT count(*)::int AS n FROM users WHERE tenant_id = $1 AND role = 'manager' AND active`, [tenant])).rows[0].n;
    await asTenant(async () => {
      customer = (await owner.query(`INSERT INTO customers (tenant_id, name) VALUES ($1, 'Burst customer') RETURNING id`, [tenant])).rows[0].id;
      await owner.query(`UPDATE alert_policies SET active = false WHERE tenant_id = $1`, [tenant]);
      policy = (
        await owner.query(
          `INSERT INTO alert_policies (tenant_id, name, target, basis, fractions, lead_minutes, at_breach, at_risk, channels, recipient_roles)
           VALUES ($1, 'Burst', 'promised', 'wall', '{}', '{}', true, false, '{in_app,email}', '{manager}') RETURNING id`,
          [tenant],
        )
      ).rows[0].id;
    });
    listener = new Client({ connectionString: db.ownerUrl });
    await listener.connect();
    listener.on('notification', (msg) => {
      // A signed payload: `<hex HMAC>.<json>`.
      const e = JSON.parse(msg.payload!.slice(msg.payload!.indexOf('.') + 1)) as { event?: { type: string; alert?: { id: string; state: string } } };
      if (e.event?.type === 'alert' && e.event.alert?.state === 'fired') heard.set(e.event.alert.id, (heard.get(e.event.alert.id) ?? 0) + 1);
    });
    await listener.query('LISTEN kept_events');

    config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: db.ownerUrl,
      APP_DATABASE_URL: db.appUrl,
      JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
      LOG_LEVEL: 'silent',
      WORKER_POLL_INTERVAL_MS: '50',
      WORKER_HEARTBEAT_MS: '200',
      WORKER_STALE_AFTER_MS: '1500',
      WEBHOOK_TIMEOUT_MS: '5000',
      WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32',
    });
    // The worker's services without its job pool.
    app = await NestFactory.createApplicationContext(
      {
        module: FiringTestModule,
        imports: [
          CoreModule.forRoot(config),
          TypeOrmModule.forRoot(dataSourceOptions(config.appDatabaseUrl, 6, entities)),
          MetricsModule,
          AlertsWorkerModule.forRoot({ start: false }),
        ],
      },
      { logger: false },
    );
    firing = app.get(AlertFiringService, { strict: false });
  });

  afterAll(async () => {
    await app?.close();
    await listener?.end();
    await owner?.end();
    await db?.drop();
  });

  it('fires each due alert exactly once under two concurrent firers, with its e-mails and a job for each in the same transaction', async () => {
    // More than two batches: both firers work through them side by side.
    const rows = await alerts(FIRE_BATCH * 2 + 100);
    const ids = rows.map((r) => r.id);
    const s = second();
    const [a, b] = await Promise.all([firing.fireDue({ tenantId: tenant, second: s }), firing.fireDue({ tenantId: tenant, second: s })]);

    expect(a.fired + b.fired).toBe(ids.length);
    expect(await states(ids)).toEqual({ fired: ids.length });
    await eventually(async () => ids.every((id) => heard.has(id)), 5000, 'every alert heard');
    expect(ids.filter((id) => heard.get(id) !== 1)).toEqual([]);
    // One e-mail per alert and manager, and a deliver job for each (queued by the insert's statement trigger).
    const mails = await owner.query<{ n: number; jobs: number }>(
      `SELECT count(*)::int AS n, count(j.id)::int AS jobs FROM deliveries d
         LEFT JOIN graphile_worker._private_jobs j ON j.key = 'delivery:' || d.id
        WHERE d.alert_id = ANY($1) AND d.channel = 'email'`,
      [ids],
    );
    expect(managers).toBeGreaterThan(0);
    expect(mails.rows[0]).toEqual({
      n: ids.length * managers,
      jobs: ids.length * managers,
    });

    // A second run finds nothing to fire.
    expect(await firing.fireDue({ tenantId: tenant, second: s })).toEqual({
      fired: 0,
      requeueAt: null,
    });
  });

  it('skips held (paused), superseded, deactivated and closed ones, and leaves later ones for their time', async () => {
    const [due, paused, superseded, ofInactive, ofClosed, later] = await alerts(6);
    const inactive = await asTenant(
      async () =>
        (
          await owner.query(
            `INSERT INTO alert_policies (tenant_id, name, target, basis, fractions, lead_minutes, at_breach, at_risk, channels, recipient_roles, active)
             VALUES ($1, 'Burst off', 'promised', 'wall', '{}', '{}', true, false, '{in_app}', '{manager}', false) RETURNING id`,
            [tenant],
          )
        ).rows[0].id as string,
    );
    await asTenant(async () => {
      // An open pause holds the alert (no due time); a re-promise cancels the old version's alerts.
      await owner.query(`UPDATE alerts SET due_at = NULL WHERE id = $1`, [paused.id]);
      await owner.query(`UPDATE alerts SET state = 'cancelled' WHERE id = $1`, [superseded.id]);
      await owner.query(`UPDATE alerts SET policy_id = $2 WHERE id = $1`, [ofInactive.id, inactive]);
      await owner.query(`UPDATE cases SET status = 'satisfied' WHERE id = $1`, [ofClosed.case_id]);
      await owner.query(`UPDATE alerts SET due_at = now() + interval '1 hour' WHERE id = $1`, [later.id]);
    });
    // Proof the data means something: every one of them but the held one has a due time.
    expect(
      (
        await owner.query(`SELECT count(*)::int AS n FROM alerts WHERE id = ANY($1) AND due_at IS NOT NULL`, [
          [due, superseded, ofInactive, ofClosed, later].map((r) => r.id),
        ])
      ).rows[0].n,
    ).toBe(5);

    const result = await firing.fireDue({ tenantId: tenant, second: second() });
    expect(result).toEqual({ fired: 1, requeueAt: null });
    const after = await owner.query<{ id: string; state: string }>(`SELECT id, state FROM alerts WHERE id = ANY($1)`, [
      [due, paused, superseded, ofInactive, ofClosed, later].map((r) => r.id),
    ]);
    const stateOf = new Map(after.rows.map((r) => [r.id, r.state]));
    expect([due, paused, superseded, ofInactive, ofClosed, later].map((r) => stateOf.get(r.id))).toEqual([
      'fired',
      'pending',
      'cancelled',
      'pending',
      'pending',
      'pending',
    ]);
  });

  it('fires the batch of a firer that died mid-transaction once its transaction is gone', async () => {
    const rows = await alerts(40);
    const held = rows.slice(0, 15).map((r) => r.id);
    // A firer holding 15 of them (as its firing statement does: their cases locked, then the alerts updated) when it is killed.
    const dying = new Client({ connectionString: db.ownerUrl });
    await dying.connect();
    dying.on('error', () => undefined);
    await dying.query('BEGIN');
    await dying.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant]);
    await dying.query(`SELECT id FROM cases WHERE id = ANY($1) FOR NO KEY UPDATE`, [rows.slice(0, 15).map((r) => r.case_id)]);
    await dying.query(`UPDATE alerts SET state = 'fired', fired_at = now() WHERE id = ANY($1)`, [held]);
    const pid = (await dying.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows[0].pid;

    const run = firing.fireDue({ tenantId: tenant, second: second() });
    // The other 25 fire; the held ones wait for the lock holder.
    await eventually(async () => (await states(rows.map((r) => r.id))).fired === 25, 10_000, 'the free alerts fired');
    expect(await states(held)).toEqual({ pending: 15 });
    await owner.query(`SELECT pg_terminate_backend($1)`, [pid]);
    // The job fires them once the lock is gone, or (had it given up waiting first) re-queues itself, and its next run does.
    const result = await run;
    const rerun = result.requeueAt ? await firing.fireDue({ tenantId: tenant, second: second() }) : { fired: 0 };
    expect(result.fired + rerun.fired).toBe(40);
    expect(await states(rows.map((r) => r.id))).toEqual({ fired: 40 });
    await eventually(async () => held.every((id) => heard.get(id) === 1), 5000, 'the held alerts heard once');
    await dying.end().catch(() => undefined);
  });

  describe('more alerts due at one instant than one batch holds (a Monday opening)', () => {
    let inAppPolicy: string;
    const workers: RunningWorker[] = [];
    const heardOnce = (ids: string[]) => ids.filter((id) => heard.get(id) !== 1);

    beforeAll(async () => {
      inAppPolicy = await asTenant(
        async () =>
          (
            await owner.query(
              `INSERT INTO alert_policies (tenant_id, name, target, basis, fractions, lead_minutes, at_breach, at_risk, channels, recipient_roles)
               VALUES ($1, 'Burst in-app', 'promised', 'wall', '{}', '{}', true, false, '{in_app}', '{manager}') RETURNING id`,
              [tenant],
            )
          ).rows[0].id as string,
      );
    });
    // Stopping waits for the jobs the pools are running (e-mails of the tests above among them): slow on a loaded machine.
    afterAll(async () => {
      for (const w of workers) await w.stop();
    }, 90_000);

    it('runs one firing transaction of a tenant at a time: a second firer waits for the first, then each alert fires once', async () => {
      const rows = await alerts(FIRE_BATCH * 2 + 300, `date_trunc('second', now()) - interval '1 second'`, { policy: inAppPolicy });
      const ids = rows.map((r) => r.id);
      // A firing transaction of the tenant in progress.
      const holder = new Client({ connectionString: db.ownerUrl });
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant]);
      await holder.query(TENANT_FIRING_LOCK);
      try {
        const s = second();
        const both = Promise.all([firing.fireDue({ tenantId: tenant, second: s }), firing.fireDue({ tenantId: tenant, second: s })]);
        // Both firers wait for the lock (not past it, each on its own share of the cases), and nothing has fired.
        await eventually(
          async () =>
            (
              await owner.query<{ n: number }>(
                `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                  WHERE l.locktype = 'advisory' AND NOT l.granted AND a.datname = current_database()`,
              )
            ).rows[0].n === 2,
          10_000,
          'both firers waiting for the tenant firing lock',
        );
        expect(await states(ids)).toEqual({ pending: ids.length });
        await holder.query('COMMIT');
        const [a, b] = await both;
        expect(a.fired + b.fired).toBe(ids.length);
      } finally {
        await holder.end();
      }
      expect(await states(ids)).toEqual({ fired: ids.length });
      await eventually(async () => ids.every((id) => heard.has(id)), 5000, 'every alert heard');
      expect(heardOnce(ids)).toEqual([]);
    });

    it('fires them all, each once, by the jobs of their second on two worker pools', async () => {
      workers.push(await startWorker(config), await startWorker(config));
      // All due at the same instant, two seconds ahead: the insert's trigger queues the second's one job.
      const rows = await alerts(FIRE_BATCH * 2 + 300, `date_trunc('second', now()) + interval '2 seconds'`, { policy: inAppPolicy });
      const ids = rows.map((r) => r.id);
      await eventually(async () => (await states(ids)).fired === ids.length, 60_000, 'every alert fired');
      await eventually(async () => ids.every((id) => heard.has(id)), 5000, 'every alert heard');
      expect(heardOnce(ids)).toEqual([]);
      // No firing job failed on the way (a failing job backs off for seconds, then minutes).
      const failed = await owner.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
          WHERE t.identifier = 'fire_due_alerts' AND j.last_error IS NOT NULL`,
      );
      expect(failed.rows[0].n).toBe(0);
    }, 90_000);
  });

  describe('deliveries', () => {
    let server: Server;
    const workers: RunningWorker[] = [];
    const inFlight = new Map<string, number>();
    const most = new Map<string, number>();
    const served: string[] = [];

    beforeAll(async () => {
      server = createServer((req, res) => {
        const path = req.url ?? '';
        inFlight.set(path, (inFlight.get(path) ?? 0) + 1);
        most.set(path, Math.max(most.get(path) ?? 0, inFlight.get(path)!));
        req.resume();
        // A slow receiver: the next delivery to it starts only when a slot of its endpoint is free.
        setTimeout(() => {
          inFlight.set(path, inFlight.get(path)! - 1);
          served.push(`${path} ${String(req.headers['webhook-id'])}`);
          res.statusCode = 204;
          res.end();
        }, 300);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    afterAll(async () => {
      for (const w of workers) await w.stop();
      await new Promise((r) => server?.close(r));
    });

    it('queues webhooks with the firing and drains them at most 4 at a time per endpoint, across workers', async () => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const endpoints = await asTenant(async () => {
        const ids: string[] = [];
        for (const name of ['a', 'b']) {
          const secret = `whsec_${randomBytes(24).toString('base64')}`;
          ids.push(
            (await owner.query(`INSERT INTO webhook_endpoints (tenant_id, url, secret) VALUES ($1, $2, $3) RETURNING id`, [tenant, `${base}/${name}`, secret]))
              .rows[0].id,
          );
        }
        await owner.query(`UPDATE alert_policies SET channels = '{in_app,webhook}' WHERE id = $1`, [policy]);
        return ids;
      });
      const rows = await alerts(16);
      const ids = rows.map((r) => r.id);
      await firing.fireDue({ tenantId: tenant, second: second() });

      // Queued with the firing: one delivery per alert and endpoint, each with its job, after the firing jobs (priority 10).
      const jobs = await owner.query<{ priority: number }>(
        `SELECT j.priority FROM deliveries d JOIN graphile_worker.jobs j ON j.key = 'delivery:' || d.id WHERE d.alert_id = ANY($1)`,
        [ids],
      );
      expect(jobs.rows).toHaveLength(32);
      expect(jobs.rows.every((j) => j.priority === 10)).toBe(true);

      // Two workers with 10 job slots each drain them: never more than 4 at once per endpoint.
      workers.push(await startWorker(config), await startWorker(config));
      const delivered = async () =>
        (await owner.query(`SELECT count(*)::int AS n FROM deliveries WHERE alert_id = ANY($1) AND state = 'delivered'`, [ids])).rows[0].n as number;
      await eventually(async () => (await delivered()) === 32, 30_000, 'every webhook delivered');
      // Each of these messages reached its endpoint; one sent twice only as a recorded retry (same webhook-id, attempts > 1).
      const ours = (
        await owner.query<{ url: string; message_id: string }>(
          `SELECT e.url, d.message_id FROM deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.alert_id = ANY($1)`,
          [ids],
        )
      ).rows.map((r) => `${new URL(r.url).pathname} ${r.message_id}`);
      const servedOurs = served.filter((x) => ours.includes(x));
      expect(new Set(servedOurs)).toEqual(new Set(ours));
      const retried = (await owner.query(`SELECT count(*)::int AS n FROM deliveries WHERE alert_id = ANY($1) AND attempts > 1`, [ids])).rows[0].n as number;
      expect(servedOurs).toHaveLength(32 + retried);
      expect([...most.keys()].sort()).toEqual(['/a', '/b']);
      for (const n of most.values()) {
        expect(n).toBeLessThanOrEqual(4);
        // Parallel within the limit: the limit, not a lack of slots, is what bounds it.
        expect(n).toBeGreaterThanOrEqual(2);
      }
      expect(endpoints).toHaveLength(2);
    });
  });
});
