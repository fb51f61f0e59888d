#!/usr/bin/env node
// EXPLAIN (ANALYZE, BUFFERS) of the analytics summary's statements, as the runtime role in a tenant
// transaction (RLS applies), on a database holding the scale data. `--before`: the statements of the
// former implementation (ten queries; the heaviest three are shown), else the current ones.
//
// Usage: node bench/analytics/explain.mjs --db postgres://postgres@127.0.0.1:5432/<db> [--tenant scale-big]
//        [--range default|history] [--before]
import pg from 'pg';
import { arg, flag } from '../lib/harness.mjs';

const db = arg('--db', process.env.DATABASE_URL);
const slug = arg('--tenant', 'scale-big');
const range = arg('--range', 'default');
const EDGES = [-24, -8, -4, -2, -1, 0, 1, 2, 4, 8, 24];
const CAL = [0.5, 0.6, 0.7, 0.8, 0.9];
const client = new pg.Client({ connectionString: db });
await client.connect();
const [{ id: tenant }] = (await client.query(`SELECT id FROM organizations WHERE slug = $1`, [slug])).rows;
let to = new Date();
if (range === 'history') {
  const [{ last }] = (await client.query(`SELECT max(satisfied_at) AS last FROM cases WHERE tenant_id = $1 AND status = 'satisfied'`, [tenant])).rows;
  to = new Date(last.getTime() + 1000);
}
const from = new Date(to.getTime() - 90 * 86_400_000);
const where = `c.status = 'satisfied' AND c.satisfied_at >= $1 AND c.satisfied_at < $2`;
const counts = `count(*)::int AS closed,
  count(*) FILTER (WHERE c.promised_at IS NOT NULL AND c.satisfied_at <= c.promised_at)::int AS kept,
  count(*) FILTER (WHERE c.promised_at IS NOT NULL AND c.satisfied_at > c.promised_at)::int AS missed`;
const engineerJoin = `LEFT JOIN users a ON a.id = c.assignee_id
  LEFT JOIN LATERAL (SELECT m.actor_id, m.actor_name FROM case_milestones m WHERE m.case_id = c.id AND m.kind = 'fixed' ORDER BY m.at DESC LIMIT 1) f ON true`;
const before = [
  ['totals (one of ten statements)', `SELECT ${counts} FROM cases c WHERE ${where}`, [from, to]],
  [
    'breakdown by engineer (former)',
    `SELECT COALESCE(c.assignee_id::text, f.actor_id::text, 'unassigned') AS key, min(COALESCE(a.name, f.actor_name, 'Unassigned')) AS label, ${counts},
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.satisfied_at - c.promised_at) / 3600.0) FILTER (WHERE c.promised_at IS NOT NULL)
       FROM cases c ${engineerJoin} WHERE ${where} GROUP BY 1 ORDER BY closed DESC, label`,
    [from, to],
  ],
  [
    'calibration (former, one OR)',
    `SELECT width_bucket(p.keep_probability, $4::float8[]) AS bucket, count(*)::int, avg(p.keep_probability)
       FROM cases c JOIN case_promises p ON p.case_id = c.id AND p.version = c.promise_version
      WHERE c.promised_at IS NOT NULL AND p.keep_probability IS NOT NULL AND (
            (c.status = 'satisfied' AND c.satisfied_at >= $1 AND c.satisfied_at < $2)
         OR (c.status IN ('open','paused','fixed') AND c.promised_at >= $1 AND c.promised_at < $2 AND c.promised_at < $3))
      GROUP BY 1 ORDER BY 1`,
    [from, to, new Date(), CAL],
  ],
];
// The current statements, read from the built repository (dist) so the plan is of the code that runs.
const captured = [];
if (!flag('--before')) {
  const mod = await import(new URL('../../dist/apps/api/src/modules/analytics/analytics.repository.js', import.meta.url));
  const { AnalyticsRepository } = mod.default ?? mod;
  const fake = { manager: { query: async (text, params) => (captured.push([text, params]), [{ open: 0 }]) }, tenantId: tenant };
  const repo = new AnalyticsRepository(fake);
  await repo.summaryRows({}, from, to);
  await repo.calibration({}, from, to, new Date());
  await repo.openCount();
}
// The settings the repository makes for its statements (SET LOCAL …) apply to every statement below.
const settings = captured.filter(([text]) => /^SET /.test(text)).map(([text]) => text);
const after = captured
  .filter(([text]) => !/^SET /.test(text))
  .map(([text, params], i) => [['summary: one GROUPING SETS pass', 'calibration: two range reads', 'open count'][i], text, params]);

process.stdout.write(`# ${new Date().toISOString()} tenant ${slug}, range ${from.toISOString()} … ${to.toISOString()} (${range}), ${flag('--before') ? 'former' : 'current'} statements ${settings.join('; ')}\n`);
for (const [name, text, params] of flag('--before') ? before : after) {
  await client.query('BEGIN');
  await client.query('SET LOCAL ROLE kept_app');
  await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant]);
  for (const setting of settings) await client.query(setting);
  const rows = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params)).rows;
  await client.query('ROLLBACK');
  process.stdout.write(`\n## ${name}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
}
await client.end();
