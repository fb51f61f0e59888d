import { addBusinessTime, alwaysOpenCalendar, BusinessCalendar } from '@kept/domain';
import type { MilestoneKind, Priority, Role } from '@kept/contracts';
import { Client } from 'pg';
import { hashPassword } from '../common/auth/password';

export const DEMO_PASSWORD = 'kept-demo';
export const DEMO_ORGANIZATION = 'Demo Field Service';
export const DEMO_ROLES: Role[] = ['admin', 'manager', 'dispatcher', 'engineer', 'viewer'];
/** The demo engineer's team (users.team): the board filters and analytics break down by it. */
export const DEMO_ENGINEER_TEAM = 'Field team North';
/** Share of a demo case's duration after which it is dispatched to the engineer. */
const DISPATCHED_SHARE = 0.05;
export const demoEmail = (role: Role) => `${role}@demo.kept.test`;

/** Small deterministic PRNG (mulberry32) so the demo looks the same on every machine. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    /** Log-normal with the given median and spread (sigma of the log). */
    logNormal: (median: number, sigma: number) => {
      const u = Math.max(next(), 1e-9);
      const v = next();
      return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
    },
  };
}

const BERLIN_SPLIT: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  week: {
    mon: [['08:00', '12:00'], ['13:00', '17:00']],
    tue: [['08:00', '12:00'], ['13:00', '17:00']],
    wed: [['08:00', '12:00'], ['13:00', '17:00']],
    thu: [['08:00', '12:00'], ['13:00', '17:00']],
    fri: [['08:00', '12:00'], ['13:00', '15:00']],
    sat: [],
    sun: [],
  },
  holidays: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-01', '2026-10-03', '2026-12-24', '2026-12-25', '2026-12-26', '2026-12-31', '2027-01-01'],
};

const CUSTOMERS = [
  { name: 'Charité Labormedizin', site: 'Central lab, Berlin Mitte', zone: 'Europe/Berlin', region: 'Berlin', asset: 'Cobas 8000 analyzer' },
  { name: 'Vivantes Klinikum Neukölln', site: 'Emergency lab', zone: 'Europe/Berlin', region: 'Berlin', asset: 'Sysmex XN-3000' },
  { name: 'Helios Klinikum Erfurt', site: 'Clinical chemistry', zone: 'Europe/Berlin', region: 'Thuringia', asset: 'Atellica CH 930' },
  { name: 'Bosch Werk Bamberg', site: 'Line 4 metrology', zone: 'Europe/Berlin', region: 'Bavaria', asset: 'Zeiss CMM Contura' },
  { name: 'BASF Ludwigshafen QC', site: 'QC building D105', zone: 'Europe/Berlin', region: 'Palatinate', asset: 'Agilent 7890 GC' },
  { name: 'Medizinisches Labor Wien', site: 'Labor Landstraße', zone: 'Europe/Vienna', region: 'Vienna', asset: 'Alinity ci' },
  { name: 'Uniklinik Zürich', site: 'Institut für Klinische Chemie', zone: 'Europe/Zurich', region: 'Zurich', asset: 'Cobas pro' },
  { name: 'Tata Steel IJmuiden', site: 'Hot strip mill lab', zone: 'Europe/Amsterdam', region: 'North Holland', asset: 'Thermo ARL iSpark' },
  { name: 'Dr. Rieger Praxislabor', site: 'Praxis Potsdam', zone: 'Europe/Berlin', region: 'Brandenburg', asset: 'Cobas c 311' },
  { name: 'Stadtwerke München Wasserlabor', site: 'Water lab Thalkirchen', zone: 'Europe/Berlin', region: 'Bavaria', asset: 'Shimadzu TOC-L' },
  { name: 'Novartis Basel Pilot Plant', site: 'WSJ-145', zone: 'Europe/Zurich', region: 'Basel', asset: 'Waters Acquity UPLC' },
  { name: 'Brauerei Rothaus', site: 'Brewing QC lab', zone: 'Europe/Berlin', region: 'Black Forest', asset: 'Anton Paar Alcolyzer' },
];

interface CategoryProfile {
  name: string;
  /** Typical business minutes to satisfaction (median) and its spread. */
  median: number;
  sigma: number;
}

const CATEGORIES: CategoryProfile[] = [
  { name: 'Instrument down', median: 420, sigma: 0.6 },
  { name: 'Calibration', median: 960, sigma: 0.5 },
  { name: 'Software fault', median: 240, sigma: 0.8 },
  { name: 'Preventive maintenance', median: 1920, sigma: 0.4 },
  { name: 'Consumables', median: 600, sigma: 0.5 },
];

const PRIORITY_FACTOR: Record<Priority, number> = { urgent: 0.5, high: 0.75, normal: 1, low: 1.5 };
const PRIORITIES: Priority[] = ['urgent', 'high', 'high', 'normal', 'normal', 'normal', 'low'];

const SUMMARIES: Record<string, string[]> = {
  'Instrument down': ['Analyzer stops with sample probe error', 'No results since the morning run', 'Cuvette washer fault, module offline'],
  Calibration: ['Calibration drift on sodium channel', 'Annual calibration due before audit', 'QC out of range after reagent change'],
  'Software fault': ['LIS interface stopped sending orders', 'Instrument PC freezes on login', 'Result upload fails with timeout'],
  'Preventive maintenance': ['Six-monthly maintenance visit', 'Replace pump tubing and filters', 'Scheduled lamp replacement'],
  Consumables: ['Reagent lot rejected by instrument', 'Pipette tips jam in loader', 'Wrong cuvettes delivered'],
};

const CONTEXTS = [
  'Five samples must be analyzed before the doctor calls patients at 4 pm.',
  'An audit is scheduled for Thursday; the instrument must pass QC before then.',
  'Night shift has no backup analyzer; samples go to the partner lab at extra cost.',
  'Production batch is on hold until measurements are released.',
  'The lab head is on leave; the deputy is anxious about the backlog.',
];

const REPROMISE_REASONS = ['Spare part on backorder from the central warehouse', 'Engineer delayed at a previous call', 'Diagnosis found a second fault', 'Customer asked to move the visit'];

const MINUTE = 60_000;

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * Demo keep-probabilities are SYNTHETIC (no recommender made these promises): the chance that a
 * log-normal duration with the category's median and spread fits within the promise, i.e. how generous the
 * promise is, nudged by `optimism` (in sigmas) so the demo's calibration chart shows a forecast that is
 * slightly overconfident rather than a perfect diagonal. A re-promise is conditioned on the first promise
 * having already run out. Rounded to 0.01 like the board's figure.
 */
function demoKeepProbability(promiseMinutes: number, typical: number, sigma: number, afterMinutes = 0, optimism = 0.3): number {
  const f = (m: number) => normalCdf(Math.log(m / typical) / sigma + optimism);
  const start = afterMinutes > 0 ? f(afterMinutes) : 0;
  const p = start >= 1 ? 1 : (f(promiseMinutes) - start) / (1 - start);
  return Math.round(Math.min(1, Math.max(0, p)) * 100) / 100;
}

/**
 * Creates the demo tenant (users of every role, customers, sites, assets, calendars, contracts and
 * ~200 cases over the last 90 days with kept and missed promises). Does nothing if it exists.
 * Runs as the owning role: a superuser or a role with BYPASSRLS.
 */
export async function seedDemo(ownerUrl: string, options: { now?: Date; cases?: number } = {}): Promise<{ created: boolean; cases: number }> {
  const now = options.now ?? new Date();
  const total = options.cases ?? 200;
  const rnd = random(20261123);
  const db = new Client({ connectionString: ownerUrl });
  await db.connect();
  try {
    await db.query('BEGIN');
    await db.query('SELECT pg_advisory_xact_lock(7311)');
    const existing = await db.query(`SELECT id FROM organizations WHERE slug = 'demo'`);
    if (existing.rowCount) {
      await db.query('ROLLBACK');
      return { created: false, cases: 0 };
    }
    const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows as T[];
    const [org] = await q<{ id: string }>(
      `INSERT INTO organizations (name, slug, target_keep_rate) VALUES ($1, 'demo', 0.9) RETURNING id`,
      [DEMO_ORGANIZATION],
    );
    const tenant = org.id;
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const users: Record<string, { id: string; name: string }> = {};
    const names: Record<Role, string> = { admin: 'Ada Admin', manager: 'Mia Manager', dispatcher: 'Dana Dispatcher', engineer: 'Erik Engineer', viewer: 'Vic Viewer' };
    for (const role of DEMO_ROLES) {
      const [u] = await q<{ id: string }>(
        `INSERT INTO users (tenant_id, email, name, role, password_hash, team) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [tenant, demoEmail(role), names[role], role, passwordHash, role === 'engineer' ? DEMO_ENGINEER_TEAM : null],
      );
      users[role] = { id: u.id, name: names[role] };
    }
    const [splitCal] = await q<{ id: string }>(
      `INSERT INTO calendars (tenant_id, name, definition) VALUES ($1, 'Office hours (Berlin, split shift)', $2) RETURNING id`,
      [tenant, JSON.stringify(BERLIN_SPLIT)],
    );
    const [alwaysCal] = await q<{ id: string }>(
      `INSERT INTO calendars (tenant_id, name, definition) VALUES ($1, '24/7 (Berlin)', $2) RETURNING id`,
      [tenant, JSON.stringify(alwaysOpenCalendar('Europe/Berlin'))],
    );

    const customers: { id: string; siteId: string; assetId: string; contractId: string | null; calendar: BusinessCalendar; region: string }[] = [];
    for (const [i, c] of CUSTOMERS.entries()) {
      const [cust] = await q<{ id: string }>(
        `INSERT INTO customers (tenant_id, name, email, phone) VALUES ($1, $2, $3, $4) RETURNING id`,
        [tenant, c.name, `service@customer${i + 1}.example`, `+49 30 5550${String(100 + i)}`],
      );
      const [site] = await q<{ id: string }>(
        `INSERT INTO sites (tenant_id, customer_id, name, address, region, time_zone) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [tenant, cust.id, c.site, `${c.region}`, c.region, c.zone],
      );
      const [asset] = await q<{ id: string }>(
        `INSERT INTO assets (tenant_id, site_id, customer_id, name, model, serial_number) VALUES ($1, $2, $3, $4, $4, $5) RETURNING id`,
        [tenant, site.id, cust.id, c.asset, `SN-${10_000 + i * 37}`],
      );
      const premium = i % 4 === 0;
      const hasContract = i % 6 !== 5;
      let contractId: string | null = null;
      if (hasContract) {
        const [contract] = await q<{ id: string }>(
          `INSERT INTO contracts (tenant_id, customer_id, name, promise_minutes, promise_basis, promise_description, calendar_id)
           VALUES ($1, $2, $3, $4, 'business', $5, $6) RETURNING id`,
          [
            tenant,
            cust.id,
            premium ? 'Premium 24/7' : 'Standard service',
            premium ? 240 : 480,
            premium ? 'On site within 4 hours, around the clock' : 'On site within 8 business hours',
            premium ? alwaysCal.id : splitCal.id,
          ],
        );
        contractId = contract.id;
      }
      customers.push({
        id: cust.id,
        siteId: site.id,
        assetId: asset.id,
        contractId,
        calendar: hasContract && premium ? alwaysOpenCalendar('Europe/Berlin') : hasContract ? BERLIN_SPLIT : alwaysOpenCalendar(c.zone),
        region: c.region,
      });
    }

    const dispatcher = users.dispatcher;
    const engineer = users.engineer;
    const cases: { number: number; openedAt: Date }[] = [];
    for (let i = 0; i < total; i++) {
      // Most cases in the past 90 days; the newest ~15 % stay open.
      const ageDays = i < total * 0.15 ? rnd.next() * 3 : 3 + rnd.next() * 87;
      cases.push({ number: 1001 + i, openedAt: new Date(now.getTime() - ageDays * 86_400_000) });
    }
    cases.sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime());
    cases.forEach((c, i) => (c.number = 1001 + i));

    for (const { number, openedAt } of cases) {
      const cust = rnd.pick(customers);
      const category = rnd.pick(CATEGORIES);
      const priority = rnd.pick(PRIORITIES);
      const cal = cust.calendar;
      const typical = category.median * PRIORITY_FACTOR[priority];
      const promiseMinutes = Math.round((typical * (1.4 + rnd.next() * 0.8)) / 30) * 30;
      let promisedAt = addBusinessTime(openedAt, promiseMinutes, cal);
      const requiredAt = rnd.next() < 0.85 ? addBusinessTime(openedAt, Math.round((typical * (0.8 + rnd.next() * 1.6)) / 30) * 30, cal) : null;
      const expectedAt = rnd.next() < 0.75 ? addBusinessTime(openedAt, Math.round(typical * (0.9 + rnd.next() * 0.4)), cal) : null;
      const expectationSource = expectedAt ? rnd.pick(['previous_experience', 'tenant_history', 'organizational_promise'] as const) : null;
      const actualMinutes = rnd.logNormal(typical, category.sigma);
      const fixedAt = addBusinessTime(openedAt, actualMinutes * 0.9, cal);
      const satisfiedAt = addBusinessTime(openedAt, actualMinutes, cal);
      const cancelled = rnd.next() < 0.03;
      const repromise = !cancelled && satisfiedAt > promisedAt && rnd.next() < 0.35;
      const stress = rnd.int(1, 5);

      let status: string = 'open';
      let fixed: Date | null = null;
      let satisfied: Date | null = null;
      if (cancelled) status = 'cancelled';
      else if (satisfiedAt <= now) {
        status = 'satisfied';
        fixed = fixedAt;
        satisfied = satisfiedAt;
      } else if (fixedAt <= now) {
        status = 'fixed';
        fixed = fixedAt;
      }
      const paused = status === 'open' && rnd.next() < 0.12;
      if (paused) status = 'paused';

      const promises: { version: number; at: Date; reason: string; accepted: string; created: Date; keep: number }[] = [
        { version: 1, at: promisedAt, reason: 'First promise', accepted: 'yes', created: openedAt, keep: demoKeepProbability(promiseMinutes, typical, category.sigma) },
      ];
      if (repromise) {
        const created = new Date(Math.min(promisedAt.getTime() - 30 * MINUTE, now.getTime()));
        const extraMinutes = Math.round(typical * (0.3 + rnd.next() * 0.6));
        const later = addBusinessTime(promisedAt, extraMinutes, cal);
        const keep = demoKeepProbability(promiseMinutes + extraMinutes, typical, category.sigma, promiseMinutes);
        promises.push({ version: 2, at: later, reason: rnd.pick(REPROMISE_REASONS), accepted: rnd.pick(['yes', 'yes', 'pending', 'no']), created: created < openedAt ? openedAt : created, keep });
        promisedAt = later;
      }
      const summary = rnd.pick(SUMMARIES[category.name]);
      // Every case the dispatcher has sent out (its `dispatched` milestone has passed) is the demo
      // engineer's, on the engineer's team; the newest cases are still unassigned.
      const dispatchedAt = addBusinessTime(openedAt, actualMinutes * DISPATCHED_SHARE, cal);
      const assigned = status !== 'cancelled' && dispatchedAt <= now;
      const [row] = await q<{ id: string }>(
        `INSERT INTO cases (tenant_id, number, customer_id, site_id, asset_id, contract_id, category, priority, summary, context,
           stress_level, status, pause_reason, opened_at, required_at, expected_at, expectation_source, promised_at, fixed_at,
           satisfied_at, promise_version, created_by, created_at, updated_at, assignee_id, team)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$14,$23,$24,$25) RETURNING id`,
        [
          tenant, number, cust.id, cust.siteId, cust.assetId, cust.contractId, category.name, priority, summary,
          rnd.next() < 0.6 ? rnd.pick(CONTEXTS) : null, stress, status, paused ? 'Waiting for customer access to the lab' : null,
          openedAt, requiredAt, expectedAt, expectationSource, promisedAt, fixed, satisfied, promises.length, dispatcher.id,
          satisfied ?? fixed ?? openedAt, assigned ? engineer.id : null, assigned ? DEMO_ENGINEER_TEAM : null,
        ],
      );
      const caseId = row.id;
      for (const p of promises) {
        await q(
          `INSERT INTO case_promises (tenant_id, case_id, version, promised_at, reason, customer_accepted, created_by, created_at, keep_probability)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
          [tenant, caseId, p.version, p.at, p.reason, p.accepted, dispatcher.id, p.created, p.keep],
        );
      }
      const ledger: [Date, string, string | null, string | null, string | null, string | null, string | null, number, { id: string; name: string }][] = [
        [openedAt, 'status', null, 'open', 'Case opened', null, null, 1, dispatcher],
      ];
      if (requiredAt) ledger.push([openedAt, 'requiredAt', null, requiredAt.toISOString(), 'Case opened', null, null, 1, dispatcher]);
      if (expectedAt) ledger.push([openedAt, 'expectedAt', null, expectedAt.toISOString(), 'Case opened', expectationSource, null, 1, dispatcher]);
      ledger.push([openedAt, 'promisedAt', null, promises[0].at.toISOString(), 'Case opened', null, 'yes', 1, dispatcher]);
      if (promises[1]) {
        ledger.push([promises[1].created, 'promisedAt', promises[0].at.toISOString(), promises[1].at.toISOString(), promises[1].reason, null, promises[1].accepted, 2, dispatcher]);
      }
      if (assigned) {
        ledger.push([dispatchedAt, 'assignee', null, engineer.id, 'Sent out to the engineer', null, null, 1, dispatcher]);
      }
      const v = promises.length;
      const milestones: [MilestoneKind, Date][] = [];
      const span = (f: number) => addBusinessTime(openedAt, actualMinutes * f, cal);
      for (const [kind, f] of [['dispatched', DISPATCHED_SHARE], ['arrived', 0.3], ['diagnosed', 0.5], ['fixed', 0.9], ['test_passed', 0.93], ['customer_confirmed', 1]] as [MilestoneKind, number][]) {
        const at = span(f);
        if (at <= now && status !== 'cancelled') milestones.push([kind, at]);
      }
      for (const [kind, at] of milestones) {
        await q(
          `INSERT INTO case_milestones (tenant_id, case_id, kind, at, actor_kind, actor_id, actor_name) VALUES ($1,$2,$3,$4,'user',$5,$6)`,
          [tenant, caseId, kind, at, engineer.id, engineer.name],
        );
      }
      if (paused) {
        const from = new Date(Math.max(openedAt.getTime(), now.getTime() - rnd.int(30, 600) * MINUTE));
        await q(`INSERT INTO case_pauses (tenant_id, case_id, started_at, reason, created_by) VALUES ($1,$2,$3,$4,$5)`, [
          tenant, caseId, from, 'Waiting for customer access to the lab', dispatcher.id,
        ]);
        ledger.push([from, 'status', 'open', 'paused', 'Waiting for customer access to the lab', null, null, v, dispatcher]);
      }
      if (fixed) {
        ledger.push([fixed, 'fixedAt', null, fixed.toISOString(), 'First successful test', null, null, v, engineer]);
        ledger.push([fixed, 'status', 'open', 'fixed', null, null, null, v, engineer]);
      }
      if (satisfied) {
        ledger.push([satisfied, 'satisfiedAt', null, satisfied.toISOString(), 'Customer confirmed', null, null, v, dispatcher]);
        ledger.push([satisfied, 'status', 'fixed', 'satisfied', null, null, null, v, dispatcher]);
      }
      if (status === 'cancelled') {
        ledger.push([new Date(Math.min(now.getTime(), openedAt.getTime() + 60 * MINUTE)), 'status', 'open', 'cancelled', 'Customer solved it with remote help', null, null, v, dispatcher]);
      }
      ledger.sort((a, b) => a[0].getTime() - b[0].getTime());
      for (const [at, field, oldValue, newValue, reason, source, accepted, pv, actor] of ledger) {
        await q(
          `INSERT INTO case_ledger (tenant_id, case_id, at, actor_kind, actor_id, actor_name, field, old_value, new_value, reason,
             expectation_source, customer_accepted, promise_version)
           VALUES ($1,$2,$3,'user',$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
          [tenant, caseId, at, actor.id, actor.name, field, oldValue, newValue, reason, source, accepted, pv],
        );
      }
    }
    await q(`UPDATE organizations SET case_counter = $2 WHERE id = $1`, [tenant, 1000 + total]);
    // The cases were written directly: a worker plans their alerts (the same job a policy change queues).
    await q(
      `SELECT graphile_worker.add_job('replan_tenant', json_build_object('tenantId', $1::uuid), job_key := 'replan:' || $1::text, job_key_mode := 'replace')`,
      [tenant],
    );
    await db.query('COMMIT');
    return { created: true, cases: total };
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await db.end();
  }
}
