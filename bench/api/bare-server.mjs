#!/usr/bin/env node
// bench/api's baseline: a bare node:http + pg endpoint doing the API's essential work for
// `GET /api/v1/cases/:id` and `POST /api/v1/cases`, as the same runtime role (kept_app), in the same
// RLS transaction (BEGIN; set_config('app.tenant_id', …, true); …; COMMIT), after verifying the same
// HS256 bearer token. No framework, no ORM, no validation library: the floor the real API is measured
// against.
//
// Env: DATABASE_URL (kept_app), JWT_SECRET, PORT (0 = any), POOL (default 10).
// Prints `bare listening on port N` when ready.
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';

const key = createSecretKey(Buffer.from(process.env.JWT_SECRET ?? '', 'utf8'));
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL ?? 10), application_name: 'kept-bench-bare' });

/** HS256 verification with a KeyObject built once: signature, then `exp`. */
function verify(header) {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return null;
  const [h, p, s] = m[1].trim().split('.');
  if (!h || !p || !s) return null;
  const expected = createHmac('sha256', key).update(`${h}.${p}`).digest();
  const actual = Buffer.from(s, 'base64url');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) return null;
  return claims;
}

async function inTenant(tenantId, work) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** The case with everything its detail page shows, in two queries after the tenant is set. */
async function caseDetail(client, id) {
  const { rows } = await client.query(
    `SELECT c.*, to_jsonb(cu) AS customer, to_jsonb(s) AS site, to_jsonb(k) AS contract, to_jsonb(cal) AS calendar,
            (SELECT to_jsonb(u) FROM (SELECT id, name, team, role, active FROM users WHERE id = c.assignee_id) u) AS assignee
       FROM cases c
       JOIN customers cu ON cu.id = c.customer_id
       LEFT JOIN sites s ON s.id = c.site_id
       LEFT JOIN contracts k ON k.id = c.contract_id
       LEFT JOIN calendars cal ON cal.id = k.calendar_id
      WHERE c.id = $1`,
    [id],
  );
  if (!rows[0]) return null;
  const { rows: [h] } = await client.query(
    `SELECT (SELECT coalesce(jsonb_agg(p ORDER BY p.started_at), '[]') FROM case_pauses p WHERE p.case_id = $1) AS pauses,
            (SELECT coalesce(jsonb_agg(l ORDER BY l.id), '[]') FROM case_ledger l WHERE l.case_id = $1) AS ledger,
            (SELECT coalesce(jsonb_agg(m ORDER BY m.at, m.created_at), '[]') FROM case_milestones m WHERE m.case_id = $1) AS milestones,
            (SELECT coalesce(jsonb_agg(v ORDER BY v.version), '[]') FROM case_promises v WHERE v.case_id = $1) AS promises`,
    [id],
  );
  return { ...rows[0], ...h };
}

let numbering = null;
/** The tenant's next case number the way the schema offers it (the sequence function, else the counter row). */
async function nextNumber(client, tenantId) {
  if (numbering === null) {
    const { rows } = await client.query(`SELECT to_regprocedure('kept_next_case_number()') IS NOT NULL AS seq`);
    numbering = rows[0].seq ? 'seq' : 'counter';
  }
  if (numbering === 'seq') return (await client.query('SELECT kept_next_case_number() AS n')).rows[0].n;
  return (await client.query('UPDATE organizations SET case_counter = case_counter + 1 WHERE id = $1 RETURNING case_counter AS n', [tenantId])).rows[0].n;
}

async function createCase(client, claims, body) {
  const { rows: [customer] } = await client.query('SELECT id FROM customers WHERE id = $1', [body.customerId]);
  if (!customer) return null;
  const now = new Date();
  const promisedAt = body.promisedAt ? new Date(body.promisedAt) : null;
  const number = await nextNumber(client, claims.tid);
  const { rows: [c] } = await client.query(
    `INSERT INTO cases (tenant_id, number, customer_id, category, priority, summary, status, opened_at, promised_at,
                        promise_version, version, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9, 1, $10) RETURNING *`,
    [claims.tid, number, body.customerId, body.category, body.priority ?? 'normal', body.summary, now, promisedAt, promisedAt ? 1 : 0, claims.sub],
  );
  if (promisedAt) {
    await client.query(
      `INSERT INTO case_promises (tenant_id, case_id, version, promised_at, reason, created_by) VALUES ($1, $2, 1, $3, 'First promise', $4)`,
      [claims.tid, c.id, promisedAt, claims.sub],
    );
  }
  const fields = ['status', ...(promisedAt ? ['promisedAt'] : [])];
  const values = ['open', ...(promisedAt ? [promisedAt.toISOString()] : [])];
  await client.query(
    `INSERT INTO case_ledger (tenant_id, case_id, at, actor_kind, actor_id, actor_name, field, new_value, reason, promise_version)
     SELECT $1, $2, $3, 'user', $4, $5, f, v, 'Case opened', $6 FROM unnest($7::text[], $8::text[]) AS t(f, v)`,
    [claims.tid, c.id, now, claims.sub, claims.name, promisedAt ? 1 : 0, fields, values],
  );
  return c;
}

function send(res, status, body) {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

const server = http.createServer((req, res) => {
  const claims = verify(req.headers.authorization);
  if (!claims) return send(res, 401, { title: 'Unauthenticated' });
  const get = /^\/api\/v1\/cases\/([0-9a-f-]{36})$/.exec(req.url ?? '');
  if (req.method === 'GET' && get) {
    inTenant(claims.tid, (client) => caseDetail(client, get[1])).then(
      (c) => (c ? send(res, 200, c) : send(res, 404, { title: 'Not found' })),
      (err) => send(res, 500, { title: String(err) }),
    );
    return;
  }
  if (req.method === 'POST' && req.url === '/api/v1/cases') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(res, 400, { title: 'Bad JSON' });
      }
      inTenant(claims.tid, (client) => createCase(client, claims, body)).then(
        (c) => (c ? send(res, 201, c) : send(res, 422, { title: 'Unknown customer' })),
        (err) => send(res, 500, { title: String(err) }),
      );
    });
    return;
  }
  send(res, 404, { title: 'Not found' });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`bare listening on port ${server.address().port}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
