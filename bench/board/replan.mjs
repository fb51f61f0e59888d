#!/usr/bin/env node
// bench/board/replan: how long the one-off exact re-plan of a tenant's open cases takes (what
// AlertPlanner.replanTenant does: replanCase per open case, 200 per transaction, as the runtime role
// under RLS), and how many cases' at-risk instant it changes against the migration's SQL approximation.
// Runs the built planner (dist) against a database you name; each batch's transaction is rolled back
// (the database is left as it was) unless --commit is given.
//
// Usage: node bench/board/replan.mjs --db postgres://postgres@127.0.0.1:5432/<db> --tenant scale-medium [--limit 2000] [--commit]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const value = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const ownerUrl = value('--db');
const slug = value('--tenant', 'scale-medium');
const limit = Number(value('--limit', '1000000'));
if (!ownerUrl) throw new Error('--db is required');
const { replanCase } = require(`${root}/dist/apps/api/src/modules/alerts/alert-planner.js`);
const { appDatabaseUrlFrom } = require(`${root}/dist/apps/api/src/config/config.js`);

const owner = new pg.Client({ connectionString: ownerUrl });
await owner.connect();
const app = new pg.Client({ connectionString: appDatabaseUrlFrom(ownerUrl, 'kept_app') });
await app.connect();
try {
  const {
    rows: [org],
  } = await owner.query(`SELECT id FROM organizations WHERE slug = $1`, [slug]);
  const { rows: before } = await owner.query(
    `SELECT id, at_risk_at FROM cases WHERE tenant_id = $1 AND status IN ('open','paused','fixed') ORDER BY id LIMIT $2`,
    [org.id, limit],
  );
  const sql = async (text, params) => (await app.query(text, params)).rows;
  const commit = process.argv.includes('--commit');
  const now = new Date();
  const was = new Map(before.map((c) => [c.id, c.at_risk_at?.getTime() ?? null]));
  let changed = 0;
  let atRiskBefore = 0;
  let atRiskAfter = 0;
  let ms = 0;
  for (let i = 0; i < before.length; i += 200) {
    const batch = before.slice(i, i + 200).map((c) => c.id);
    const t0 = process.hrtime.bigint();
    await app.query('BEGIN');
    await app.query(`SELECT set_config('app.tenant_id', $1, true)`, [org.id]);
    for (const id of batch) await replanCase(sql, id, now);
    ms += Number(process.hrtime.bigint() - t0) / 1e6;
    const { rows: after } = await app.query(`SELECT id, at_risk_at FROM cases WHERE id = ANY($1::uuid[])`, [batch]);
    for (const c of after) {
      if ((c.at_risk_at?.getTime() ?? null) !== was.get(c.id)) changed++;
      if (c.at_risk_at && c.at_risk_at <= now) atRiskAfter++;
      if (was.get(c.id) !== null && was.get(c.id) <= now.getTime()) atRiskBefore++;
    }
    await app.query(commit ? 'COMMIT' : 'ROLLBACK');
  }
  process.stdout.write(
    `replan ${slug} cases=${before.length} ms=${Math.round(ms)} per_case_ms=${(ms / before.length).toFixed(2)} at_risk_at_changed=${changed} ` +
      `at_risk_at<=now approximation=${atRiskBefore} exact=${atRiskAfter} ${commit ? 'committed' : 'rolled back'}\n`,
  );
} finally {
  await app.end();
  await owner.end();
}
