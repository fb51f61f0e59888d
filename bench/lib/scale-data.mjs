// Generates a real organization's volume of data with set-based SQL (INSERT … SELECT generate_series),
// in minutes, for the scale benchmarks (bench:board, bench:analytics, bench:api):
//
//   20 tenants, 1,000,000 cases in all (by default):
//   - "big":    200,000 cases over two years, ≈60,000 of them open (a large field-service organization);
//   - "medium":  40,000 cases, 2,000 open;
//   - 18 more sharing the rest, ≈5 % open.
//   Every case has a customer with a site (zone) and, for two thirds, a contract on a business calendar;
//   promise versions (a tenth re-promised), ledger rows, milestones (dispatched → arrived → diagnosed →
//   fixed → test_passed for closed cases, a prefix for open ones) and an assignee when the column exists.
//
// Usage (from a bench): `await generateScaleData(ownerUrl, { total, log })` on a migrated database, as the
// owning role (RLS is bypassed by the owner; the API reads it back as kept_app).
import { createRequire } from 'node:module';
import pg from 'pg';

const CATEGORIES = ['hvac', 'lift', 'analyser', 'centrifuge', 'freezer', 'printer', 'network', 'pump', 'boiler', 'scanner'];
const ZONES = ['Europe/Berlin', 'Europe/London', 'America/New_York', 'America/Chicago', 'Asia/Tokyo'];
const OFFICE = (timeZone) => ({
  timeZone,
  week: {
    mon: [['08:00', '17:00']],
    tue: [['08:00', '17:00']],
    wed: [['08:00', '17:00']],
    thu: [['08:00', '17:00']],
    fri: [['08:00', '15:00']],
    sat: [],
    sun: [],
  },
  holidays: [],
});

/** Tenants and their sizes: [slug, cases, open share]. */
export function tenantPlan(total = 1_000_000, tenants = 20) {
  const big = Math.round(total * 0.2);
  const medium = Math.round(total * 0.04);
  const rest = total - big - medium;
  const each = Math.floor(rest / (tenants - 2));
  const plan = [
    { slug: 'scale-big', cases: big, openShare: 0.3 },
    { slug: 'scale-medium', cases: medium, openShare: 0.05 },
  ];
  for (let i = 0; i < tenants - 2; i++) {
    plan.push({ slug: `scale-${String(i + 1).padStart(2, '0')}`, cases: i === tenants - 3 ? rest - each * (tenants - 3) : each, openShare: 0.05 });
  }
  return plan;
}

export const SCALE_PASSWORD = 'kept-scale';

export async function generateScaleData(ownerUrl, { total = 1_000_000, tenants = 20, now = new Date(), log = () => {} } = {}) {
  const require = createRequire(import.meta.url);
  const argon2 = require('argon2');
  const passwordHash = await argon2.hash(SCALE_PASSWORD, { type: argon2.argon2id });
  const db = new pg.Client({ connectionString: ownerUrl });
  await db.connect();
  const q = (text, params) => db.query(text, params);
  const columns = new Set((await q(`SELECT column_name FROM information_schema.columns WHERE table_name = 'cases'`)).rows.map((r) => r.column_name));
  const hasAssignee = columns.has('assignee_id');
  const hasTeam = columns.has('team');
  const created = [];
  try {
    for (const t of tenantPlan(total, tenants)) {
      const started = Date.now();
      await q('BEGIN');
      const { rows: [org] } = await q(`INSERT INTO organizations (name, slug) VALUES ($1, $1) RETURNING id`, [t.slug]);
      const tenant = org.id;
      // Users: one of each staff role, 40 engineers in 5 teams.
      await q(
        `INSERT INTO users (tenant_id, email, name, role, password_hash, team)
         SELECT $1, r || '@' || $2 || '.kept.test', initcap(r), r, $3, NULL
           FROM unnest(ARRAY['admin','manager','dispatcher','viewer']) r`,
        [tenant, t.slug, passwordHash],
      );
      await q(
        `INSERT INTO users (tenant_id, email, name, role, password_hash, team)
         SELECT $1, 'engineer' || g || '@' || $2 || '.kept.test', 'Engineer ' || g, 'engineer', $3, 'Team ' || (g % 5 + 1)
           FROM generate_series(1, 40) g`,
        [tenant, t.slug, passwordHash],
      );
      const customers = Math.max(20, Math.min(2000, Math.round(t.cases / 100)));
      await q(`INSERT INTO customers (tenant_id, name) SELECT $1, 'Customer ' || g FROM generate_series(1, $2) g`, [tenant, customers]);
      await q(
        `INSERT INTO sites (tenant_id, customer_id, name, region, time_zone)
         SELECT $1, c.id, c.name || ' site', 'Region ' || (row_number() OVER () % 8 + 1), ($2::text[])[(row_number() OVER () % $3) + 1]
           FROM customers c WHERE c.tenant_id = $1`,
        [tenant, ZONES, ZONES.length],
      );
      for (const zone of ZONES) {
        await q(`INSERT INTO calendars (tenant_id, name, definition) VALUES ($1, $2, $3)`, [tenant, `Office ${zone}`, JSON.stringify(OFFICE(zone))]);
      }
      await q(
        `INSERT INTO contracts (tenant_id, customer_id, name, promise_minutes, calendar_id)
         SELECT $1, s.customer_id, 'Service contract', 240, cal.id
           FROM sites s JOIN calendars cal ON cal.tenant_id = $1 AND cal.name = 'Office ' || s.time_zone
          WHERE s.tenant_id = $1 AND abs(hashtext(s.customer_id::text)) % 3 <> 0`,
        [tenant],
      );
      // Cases: temp table of per-case random draws, then one INSERT per table.
      const openCases = Math.round(t.cases * t.openShare);
      await q(`DROP TABLE IF EXISTS gen_cases`);
      await q(
        `CREATE TEMP TABLE gen_cases AS
         WITH cust AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM customers WHERE tenant_id = $1),
              eng AS (SELECT id, name, team, row_number() OVER (ORDER BY email) - 1 AS k FROM users WHERE tenant_id = $1 AND role = 'engineer'),
              draws AS (
                SELECT g, g > $2 - $3 AS is_open,
                       (abs(hashtext('c' || g)) % $4) AS ck,
                       (abs(hashtext('e' || g)) % 40) AS ek,
                       random() AS r1, random() AS r2, random() AS r3, random() AS r4
                  FROM generate_series(1, $2) g)
         SELECT gen_random_uuid() AS id, d.g AS number, c.id AS customer_id, s.id AS site_id, k.id AS contract_id,
                e.id AS engineer_id, e.name AS engineer_name, e.team AS engineer_team, d.is_open,
                ($5::text[])[1 + floor(d.r1 * 10)::int] AS category,
                (ARRAY['low','normal','normal','high','urgent'])[1 + floor(d.r2 * 5)::int] AS priority,
                CASE WHEN d.is_open
                     THEN $6::timestamptz - (d.r3 * interval '20 days')
                     ELSE $6::timestamptz - interval '21 days' - ((($2 - d.g)::float8 / $2) * interval '700 days') END AS opened_at,
                -- durations: lognormal-ish, median ≈ 6 h, long tail
                (exp(ln(360) + 1.1 * sqrt(-2 * ln(greatest(d.r4, 1e-9))) * cos(2 * pi() * d.r3)) * interval '1 minute') AS duration,
                (240 + floor(d.r2 * 960)) * interval '1 minute' AS promise_after,
                d.r1 AS r1, d.r2 AS r2
           FROM draws d
           JOIN cust c ON c.k = d.ck
           JOIN sites s ON s.customer_id = c.id
           LEFT JOIN LATERAL (SELECT id FROM contracts WHERE customer_id = c.id LIMIT 1) k ON true
           JOIN eng e ON e.k = d.ek`,
        [tenant, t.cases, openCases, customers, CATEGORIES, now],
      );
      await q(
        `INSERT INTO cases (id, tenant_id, number, customer_id, site_id, contract_id, category, priority, summary, stress_level,
                            status, pause_reason, opened_at, required_at, promised_at, fixed_at, satisfied_at, promise_version, created_at, updated_at
                            ${hasAssignee ? ', assignee_id' : ''}${hasTeam ? ', team' : ''})
         SELECT id, $1, number, customer_id, site_id, contract_id, category, priority,
                initcap(category) || ' down at the customer''s site', 1 + floor(r1 * 5)::int,
                CASE WHEN NOT is_open THEN 'satisfied' WHEN r2 < 0.05 THEN 'paused' WHEN r2 < 0.12 THEN 'fixed' ELSE 'open' END,
                CASE WHEN is_open AND r2 < 0.05 THEN 'Waiting for parts' END,
                opened_at,
                opened_at + promise_after * (0.6 + r1),
                opened_at + promise_after,
                CASE WHEN NOT is_open THEN opened_at + duration WHEN r2 >= 0.05 AND r2 < 0.12 THEN least($2::timestamptz, opened_at + duration) END,
                CASE WHEN NOT is_open THEN opened_at + duration * 1.05 END,
                1, opened_at, opened_at
                ${hasAssignee ? ', engineer_id' : ''}${hasTeam ? ', engineer_team' : ''}
           FROM gen_cases`,
        [tenant, now],
      );
      await q(
        `INSERT INTO case_promises (tenant_id, case_id, version, promised_at, breakdown, keep_probability, reason, customer_accepted, created_at)
         SELECT $1, id, 1, opened_at + promise_after,
                jsonb_build_object('arrivalMinutes', round(extract(epoch FROM promise_after) / 60 * 0.5),
                                   'diagnosisMinutes', round(extract(epoch FROM promise_after) / 60 * 0.15),
                                   'fixMinutes', round(extract(epoch FROM promise_after) / 60 * 0.25),
                                   'testMinutes', round(extract(epoch FROM promise_after) / 60 * 0.1)),
                round((0.5 + r2 * 0.49)::numeric, 2), 'First promise', 'yes', opened_at
           FROM gen_cases`,
        [tenant],
      );
      await q(
        `INSERT INTO case_ledger (tenant_id, case_id, at, actor_kind, actor_name, field, old_value, new_value, reason, promise_version)
         SELECT $1, id, opened_at, 'system', 'Generator', f.field, NULL, f.value, 'Case opened', 1
           FROM gen_cases, LATERAL (VALUES ('status', 'open'), ('promisedAt', to_char((opened_at + promise_after) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))) f(field, value)`,
        [tenant],
      );
      await q(
        `INSERT INTO case_ledger (tenant_id, case_id, at, actor_kind, actor_name, field, old_value, new_value, reason, promise_version)
         SELECT $1, id, opened_at + duration * 1.05, 'system', 'Generator', 'status', 'open', 'satisfied', 'Customer confirmed', 1
           FROM gen_cases WHERE NOT is_open`,
        [tenant],
      );
      // Milestones: dispatched at 2 %, arrived 30 %, diagnosed 50 %, fixed 90 %, test passed 93 % of the duration;
      // open cases have those already in the past.
      await q(
        `INSERT INTO case_milestones (tenant_id, case_id, kind, at, actor_kind, actor_id, actor_name, note)
         SELECT $1, g.id, m.kind, g.opened_at + g.duration * m.f, 'user', g.engineer_id, g.engineer_name,
                CASE WHEN m.kind = 'dispatched' THEN 'Assigned to ' || g.engineer_name || ' [' || g.engineer_id || ']: generated' END
           FROM gen_cases g,
                LATERAL (VALUES ('dispatched', 0.02), ('arrived', 0.3), ('diagnosed', 0.5), ('fixed', 0.9), ('test_passed', 0.93)) m(kind, f)
          WHERE g.opened_at + g.duration * m.f <= $2::timestamptz`,
        [tenant, now],
      );
      await q(
        `INSERT INTO case_pauses (tenant_id, case_id, started_at, reason)
         SELECT $1, c.id, c.opened_at + interval '1 hour', 'Waiting for parts' FROM cases c WHERE c.tenant_id = $1 AND c.status = 'paused'`,
        [tenant],
      );
      await q(`UPDATE organizations SET case_counter = $2 WHERE id = $1`, [tenant, t.cases + 1]);
      await q('COMMIT');
      created.push({ ...t, id: tenant });
      log(`  ${t.slug}: ${t.cases.toLocaleString('en')} cases (${openCases.toLocaleString('en')} open) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    await q('ANALYZE');
    return created;
  } catch (err) {
    await q('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await db.end();
  }
}
