import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { CollapseAlertRepeats1764730000000 } from '../../../../../migrations/1764730000000-CollapseAlertRepeats';
import { createTestApp, TestApp } from '../../../test/support/app';

/**
 * Migration CollapseAlertRepeats: the old rows of one repeat each (`repeat:1`, `repeat:2`, …) fold into
 * one `repeat` alert carrying their count and last firing, and back down again.
 */
describe('migration CollapseAlertRepeats (one repeat alert per case, policy and version)', () => {
  let t: TestApp;
  let owner: Client;
  let runner: QueryRunner;
  const migration = new CollapseAlertRepeats1764730000000();

  beforeAll(async () => {
    t = await createTestApp();
    owner = new Client({ connectionString: t.db.ownerUrl });
    await owner.connect();
    runner = { query: (text: string, params?: unknown[]) => owner.query(text, params).then((r) => r.rows) } as unknown as QueryRunner;
  });
  afterAll(async () => {
    await owner?.end();
    await t?.close();
  });

  it('folds the fired repeat rows of a deadline into one alert with their count, and unfolds them on down', async () => {
    await migration.down(runner);
    const [{ tenant, case_id, policy_id }] = (
      await owner.query<{ tenant: string; case_id: string; policy_id: string }>(
        `SELECT c.tenant_id AS tenant, c.id AS case_id, p.id AS policy_id FROM cases c
           JOIN alert_policies p ON p.tenant_id = c.tenant_id AND p.target = 'promised'
          WHERE c.status = 'open' ORDER BY c.number LIMIT 1`,
      )
    ).rows;
    await owner.query(`SELECT set_config('app.tenant_id', $1, false)`, [tenant]);
    await owner.query(`DELETE FROM alerts WHERE case_id = $1 AND kind = 'repeat'`, [case_id]);
    // The old shape: two repeats fired (10:30, 11:00), the third planned (11:30) — a version 99 of the promise
    // so the demo's own alerts of the case do not meet these.
    await owner.query(
      `INSERT INTO alerts (tenant_id, case_id, policy_id, rule_key, kind, target, target_version, severity, due_at, fired_at, state, message, recipient_roles)
       VALUES ($1, $2, $3, 'repeat:1', 'repeat', 'promised', 99, 'high', '2026-11-23T10:30Z', '2026-11-23T10:30:01Z', 'fired', 'still missed', '{dispatcher}'),
              ($1, $2, $3, 'repeat:2', 'repeat', 'promised', 99, 'high', '2026-11-23T11:00Z', '2026-11-23T11:00:01Z', 'fired', 'still missed', '{dispatcher}'),
              ($1, $2, $3, 'repeat:3', 'repeat', 'promised', 99, 'high', '2099-11-23T11:30Z', NULL, 'pending', 'still missed', '{dispatcher}')`,
      [tenant, case_id, policy_id],
    );
    // Proof the data means something: three rows before.
    const rows = () =>
      owner
        .query<{ rule_key: string; state: string; repeat_count?: number; fired_at: Date | null; last_fired_at?: Date | null; due_at: Date | null }>(
          `SELECT * FROM alerts WHERE case_id = $1 AND target_version = 99 ORDER BY rule_key, state`,
          [case_id],
        )
        .then((r) => r.rows);
    expect(await rows()).toHaveLength(3);

    await migration.up(runner);
    const after = await rows();
    const open = after.filter((a) => a.state !== 'cancelled');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ rule_key: 'repeat', state: 'fired', repeat_count: 2 });
    expect(open[0].fired_at!.toISOString()).toBe('2026-11-23T10:30:01.000Z');
    expect(open[0].last_fired_at!.toISOString()).toBe('2026-11-23T11:00:01.000Z');
    // Its next time stays, with a job for it (the trigger schedules an open repeat alert).
    expect(open[0].due_at!.toISOString()).toBe('2099-11-23T11:30:00.000Z');
    // (Its job: the firing job of its tenant and due second, since migration FireAlertsInBatches.)
    const jobs = await owner.query(
      `SELECT 1 FROM graphile_worker.jobs j JOIN alerts a ON j.key = 'fire:' || a.tenant_id || ':' || floor(extract(epoch FROM a.due_at))::bigint WHERE a.id = $1`,
      [(open[0] as unknown as { id: string }).id],
    );
    expect(jobs.rowCount).toBe(1);
    expect(after.filter((a) => a.state === 'cancelled').map((a) => a.rule_key).sort()).toEqual(['repeat:1', 'repeat:2']);

    await migration.down(runner);
    expect((await rows()).map((a) => a.rule_key).sort()).toEqual(['repeat:1', 'repeat:2', 'repeat:3']);
    await migration.up(runner);
    await owner.query(`SELECT set_config('app.tenant_id', '', false)`);
  });
});
