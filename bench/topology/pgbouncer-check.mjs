#!/usr/bin/env node
// Checks, through a PgBouncer in transaction mode that you run, the three things Kept's connections rely
// on (docs/scale-out.md, "PgBouncer"):
//  1. the tenant of a transaction (`set_config('app.tenant_id', …, true)`, as TenantContext.run does in
//     the same round trip as START TRANSACTION) is the one every statement of that transaction sees, and
//     nothing of it is left on the server connection for the next client — with far more clients than
//     server connections, so that transactions of different tenants take turns on the same connections;
//  2. named prepared statements (preparedSqlOfManager, graphile-worker) survive from one transaction to
//     the next (PgBouncer ≥ 1.21 with max_prepared_statements > 0; older ones fail);
//  3. LISTEN through the pooler receives a NOTIFY (it does not in transaction mode: the event hub and the
//     workers must connect to PostgreSQL directly).
//
// Usage (against a freshly started PgBouncer; the control leaves session state on its server connections):
//   node bench/topology/pgbouncer-check.mjs <pgbouncer URL> <direct URL of the same database>
//   e.g. postgres://postgres@127.0.0.1:6432/test postgres://postgres@127.0.0.1:5432/test
import { randomUUID } from 'node:crypto';
import pg from 'pg';

const [bouncerUrl, directUrl] = process.argv.slice(2);
if (!bouncerUrl || !directUrl) {
  process.stderr.write('usage: node bench/topology/pgbouncer-check.mjs <pgbouncer URL> <direct URL>\n');
  process.exit(2);
}
const say = (m) => process.stdout.write(`${m}\n`);

// 1. Tenant per transaction, 40 clients over the pooler's few server connections. The control (4., last)
// sets the tenant for the session instead (is_local = false): check 1 must be able to see that leak.
async function tenantRun(isLocal) {
  const clients = await Promise.all(
    Array.from({ length: 40 }, async () => {
      const c = new pg.Client({ connectionString: bouncerUrl });
      await c.connect();
      return c;
    }),
  );
  const r = { transactions: 0, wrong: 0, leaked: 0, backends: new Set() };
  await Promise.all(
    clients.map(async (c) => {
      for (let i = 0; i < 25; i++) {
        const tenant = randomUUID();
        await c.query(`START TRANSACTION; SELECT set_config('app.tenant_id', '${tenant}', ${isLocal})`);
        await c.query('SELECT pg_sleep(random() * 0.003)');
        const { rows } = await c.query(`SELECT current_setting('app.tenant_id') AS t, pg_backend_pid() AS pid`);
        await c.query('COMMIT');
        r.backends.add(rows[0].pid);
        r.transactions++;
        if (rows[0].t !== tenant) r.wrong++;
        // Outside a transaction the next statement may run on any server connection: no tenant may be set.
        const after = await c.query(`SELECT coalesce(current_setting('app.tenant_id', true), '') AS t`);
        if (after.rows[0].t !== '') r.leaked++;
      }
    }),
  );
  await Promise.all(clients.map((c) => c.end()));
  return r;
}
{
  const r = await tenantRun(true);
  say(`1. tenant per transaction (set_config(…, true)): ${r.transactions} transactions by 40 clients on ${r.backends.size} server connections: ${r.wrong} saw another tenant, ${r.leaked} found a tenant left over -> ${r.wrong + r.leaked === 0 ? 'OK' : 'BROKEN'}`);
}

// 2. A named prepared statement used in one transaction after another, while others use the pooler.
{
  const c = new pg.Client({ connectionString: bouncerUrl });
  const others = await Promise.all(Array.from({ length: 6 }, async () => {
    const o = new pg.Client({ connectionString: bouncerUrl });
    await o.connect();
    return o;
  }));
  await c.connect();
  let failures = 0;
  let firstError = '';
  // A new name each run: a statement prepared by an earlier run may still sit on every server connection.
  const statement = `kept_check_${randomUUID().slice(0, 8)}`;
  for (let i = 0; i < 30; i++) {
    const busy = others.map((o) => o.query('SELECT pg_sleep(0.002)'));
    try {
      await c.query('BEGIN');
      await c.query({ name: statement, text: 'SELECT $1::int + 1 AS n', values: [i] });
      await c.query('COMMIT');
    } catch (err) {
      failures++;
      firstError ||= err.message;
      await c.query('ROLLBACK').catch(() => undefined);
    }
    await Promise.all(busy);
  }
  await Promise.all([c.end(), ...others.map((o) => o.end())]);
  say(`2. named prepared statement in 30 transactions: ${failures} failed${firstError ? ` (first: "${firstError}")` : ''} -> ${failures === 0 ? 'OK' : 'BROKEN (PgBouncer < 1.21, or max_prepared_statements = 0)'}`);
}

// 3. LISTEN through the pooler, NOTIFY directly.
{
  const listener = new pg.Client({ connectionString: bouncerUrl });
  await listener.connect();
  let heard = 0;
  listener.on('notification', () => heard++);
  await listener.query('LISTEN kept_check_channel');
  const direct = new pg.Client({ connectionString: directUrl });
  await direct.connect();
  for (let i = 0; i < 5; i++) await direct.query(`NOTIFY kept_check_channel, '${i}'`);
  await new Promise((r) => setTimeout(r, 1000));
  await listener.query('SELECT 1'); // gives the pooler a chance to pass on whatever it holds
  await Promise.all([listener.end(), direct.end()]);
  say(`3. LISTEN through the pooler: ${heard} of 5 notifications heard -> ${heard === 5 ? 'OK' : 'BROKEN: connect LISTEN (event hub) and graphile-worker to PostgreSQL directly'}`);
}

// Last, as it leaves a tenant on the pooler's server connections (which is what it shows): the control.
// Restart PgBouncer (or RECONNECT on its admin console) before running this file again.
{
  const control = await tenantRun(false);
  say(`4. control, set_config(…, false) (session-wide): ${control.leaked} of ${control.transactions} found a tenant left over -> ${control.leaked > 0 ? 'check 1 would see such a leak' : 'no leak seen: check 1 proves nothing here'}`);
}
