import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { CaseTable, evaluate } from '@kept/forecast';
import { forEachTenantCase, HistoryFileError, StrictImportError } from '@kept/history';
import { runEvaluate } from '../src/commands/evaluate';
import { runImport } from '../src/commands/import';

/**
 * `kept import` against a real PostgreSQL: a fresh database cloned from the migrated template that
 * `npm test` prepares, or migrated here with the built API's bootstrap when the file runs alone.
 */
const root = path.resolve(__dirname, '../../..');
const DATA = path.join(root, 'test-fixtures/data');
const nycMapping = path.join(root, 'mappings/nyc311_sample.mapping.json');
const nycFile = path.join(DATA, 'nyc311_sample/dev.csv');
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const dbName = `kept_cli_${randomBytes(5).toString('hex')}`;
const withDb = (name: string) => {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
};
const url = withDb(dbName);
let db: Client;
let dir: string;
const savedUrl = process.env.DATABASE_URL;

async function admin(sql: string) {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  const template = process.env.KEPT_TEST_TEMPLATE;
  await admin(`CREATE DATABASE "${dbName}"${template ? ` TEMPLATE "${template}"` : ''}`);
  if (!template) {
    const bootstrap = createRequire(__filename)(path.join(root, 'dist/apps/api/src/database/bootstrap.js')) as { migrate(url: string, pw: string): Promise<string[]> };
    await bootstrap.migrate(url, 'kept_app');
  }
  db = new Client({ connectionString: url });
  await db.connect();
  await db.query(`INSERT INTO organizations (name, slug) VALUES ('NYC 311', 'nyc311'), ('Other', 'other')`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'kept-cli-test-'));
  process.env.DATABASE_URL = url;
});

afterAll(async () => {
  process.env.DATABASE_URL = savedUrl;
  await db?.end();
  await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  rmSync(dir, { recursive: true, force: true });
});

const quiet = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, o: (l: string) => void out.push(l), e: (l: string) => void err.push(l) };
};
const count = async () => Number((await db.query(`SELECT count(*) FROM cases`)).rows[0].count);
const file = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};
const HEADER = 'Unique Key,Created Date,Closed Date,Agency,Complaint Type,Borough,Status,Due Date\n';

describe('kept import', () => {
  it('refuses without a tenant when there are several, naming them', async () => {
    const q = quiet();
    await expect(runImport(nycFile, { mapping: nycMapping }, q.o, q.e)).rejects.toThrow(/several organizations: choose one with --tenant \("NYC 311", "Other"\)/);
    expect(await count()).toBe(0);
  });

  it('imports a real dev dataset, reports every rejected row, and adds nothing the second time', async () => {
    const q = quiet();
    const first = await runImport(nycFile, { mapping: nycMapping, tenant: 'nyc311', json: true }, q.o, q.e);
    expect(first).toMatchObject({ rows: 1400, inserted: 1399, alreadyPresent: 0, rejected: 1 });
    expect(q.err).toEqual([`${nycFile}:780: closedAt (1900-01-01T05:00:00.000Z) is before createdAt (2011-03-02T15:40:12.000Z)`]);
    expect(JSON.parse(q.out[q.out.length - 1])).toMatchObject({ inserted: 1399, status: 'completed' });
    expect(await count()).toBe(1399);
    const { rows } = await db.query(`SELECT status, count(*)::int AS n FROM cases GROUP BY status ORDER BY status`);
    expect(rows).toEqual([
      { status: 'open', n: 30 },
      { status: 'satisfied', n: 1369 },
    ]);
    const promises = await db.query(`SELECT count(*)::int AS n FROM case_promises`);
    expect(promises.rows[0].n).toBe(1390); // every Due Date (1,390 of the accepted rows have one) became promise version 1

    const again = await runImport(nycFile, { mapping: nycMapping, tenant: 'NYC 311' }, quiet().o, quiet().e);
    expect(again).toMatchObject({ inserted: 0, alreadyPresent: 1399, rejected: 1, fileSha256: first.fileSha256 });
    expect(await count()).toBe(1399);
    const batches = await db.query(`SELECT inserted, already_present, rejected, status, jsonb_array_length(rejected_rows) AS stored FROM import_batches ORDER BY created_at`);
    expect(batches.rows).toEqual([
      { inserted: 1399, already_present: 0, rejected: 1, status: 'completed', stored: 1 },
      { inserted: 0, already_present: 1399, rejected: 1, status: 'completed', stored: 1 },
    ]);
  });

  it('evaluates the imported cases exactly as the file itself', async () => {
    const tenant = (await db.query(`SELECT id FROM organizations WHERE slug = 'nyc311'`)).rows[0].id as string;
    const table = new CaseTable(['category', 'priority', 'region']);
    const n = await forEachTenantCase({ query: (t, p) => db.query(t, p).then((r) => r.rows) }, tenant, (c) =>
      table.push({ createdAt: c.openedAt, doneAt: c.doneAt, orgDueAt: c.promisedAt, cancelled: c.cancelled, values: [c.category, c.priority, c.region] }),
    5);
    expect(n).toBe(1399);
    const fromDb = evaluate(table, { target: 0.9 });
    const fromFile = await runEvaluate(nycFile, { mapping: nycMapping, target: 0.9, halfLife: 60, calibration: true, categories: 0 }, quiet().o, quiet().e);
    for (const key of ['rows', 'keepRate', 'medianPromiseHours', 'orgKeepRate', 'orgMedianPromiseHours', 'unknown'] as const) {
      expect(fromDb[key]).toEqual(fromFile[key]);
    }
    expect(fromDb.calibration.map((c) => c.keepRate)).toEqual(fromFile.calibration.map((c) => c.keepRate));
  });

  it('--strict rejects the whole file when one row is bad, and keeps nothing of it', async () => {
    const p = file('strict.csv', HEADER + '1,03/01/2011 10:00:00 AM,,DOT,Pothole,QUEENS,Open,\n2,03/31/2011 25:00:00 PM,,DOT,Pothole,QUEENS,Open,\n');
    const q = quiet();
    await expect(runImport(p, { mapping: nycMapping, tenant: 'nyc311', strict: true, json: true }, q.o, q.e)).rejects.toBeInstanceOf(StrictImportError);
    expect(q.err).toEqual([`${p}:3: createdAt (Created Date): cannot read "03/31/2011 25:00:00 PM" as a us timestamp`]);
    expect(JSON.parse(q.out[q.out.length - 1])).toMatchObject({ status: 'rejected', inserted: 0, rejected: 1 });
    expect(await count()).toBe(1399);
  });

  it('rejects duplicate rows with the line of the first copy, and imports the rest', async () => {
    const p = file('dups.csv', HEADER + '9001,03/01/2011 10:00:00 AM,,DOT,Pothole,QUEENS,Open,\n9001,03/01/2011 10:00:00 AM,,DOT,Pothole,QUEENS,Open,\n9002,03/01/2011 11:00:00 AM,03/01/2011 01:00:00 PM,DOT,Pothole,QUEENS,Closed,03/02/2011 11:00:00 AM\n');
    const q = quiet();
    const res = await runImport(p, { mapping: nycMapping, tenant: 'nyc311' }, q.o, q.e);
    expect(res).toMatchObject({ inserted: 2, rejected: 1 });
    expect(q.err).toEqual([`${p}:3: duplicate: external id "9001" already on line 2`]);
    expect(await count()).toBe(1401);
  });

  it('refuses a file with missing columns or in the wrong encoding as a whole, changing nothing', async () => {
    const missing = file('missing.csv', 'Unique Key,Created Date\n1,03/01/2011 10:00:00 AM\n');
    await expect(runImport(missing, { mapping: nycMapping, tenant: 'nyc311' }, quiet().o, quiet().e)).rejects.toMatchObject({
      code: 'MISSING_COLUMNS',
      message: expect.stringContaining('"Closed Date" (closedAt), "Agency" (category), "Complaint Type" (category)'),
    });
    const latin1 = file('latin1.csv', Buffer.concat([Buffer.from(HEADER + '9100,03/01/2011 10:00:00 AM,,DOT,'), Buffer.from([0x50, 0x6f, 0xf1, 0x6f]), Buffer.from(',QUEENS,Open,\n')]));
    const err = await runImport(latin1, { mapping: nycMapping, tenant: 'nyc311' }, quiet().o, quiet().e).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HistoryFileError);
    expect((err as HistoryFileError).code).toBe('INVALID_UTF8');
    expect(await count()).toBe(1401);
    // Nothing half-done is left behind: the failed imports rolled back their batch records too.
    const batches = await db.query(`SELECT count(*)::int AS n FROM import_batches`);
    expect((await db.query(`SELECT file_name FROM import_batches ORDER BY created_at`)).rows.map((r) => path.basename(r.file_name as string))).toEqual(["dev.csv", "dev.csv", "dups.csv"]);
    expect(batches.rows[0].n).toBe(3);
  });

  it("stores the mapping's extra segment columns on each case (one column, and a composite), for the model's level choice", async () => {
    const base = JSON.parse(readFileSync(nycMapping, 'utf8')) as Record<string, unknown>;
    const mapping = file('segments.mapping.json', JSON.stringify({ ...base, segments: { agency: 'Agency', place: ['Borough', 'Status'] } }));
    const p = file('segments.csv', HEADER + '9201,03/01/2011 10:00:00 AM,,DOT,Pothole,QUEENS,Open,\n9202,03/01/2011 11:00:00 AM,03/01/2011 01:00:00 PM,NYPD,Noise,BRONX,Closed,\n');
    const res = await runImport(p, { mapping, tenant: 'other' }, quiet().o, quiet().e);
    expect(res).toMatchObject({ inserted: 2, rejected: 0 });
    const { rows } = await db.query(`SELECT external_ref, segments FROM cases WHERE external_ref IN ('id:9201', 'id:9202') ORDER BY external_ref`);
    expect(rows).toEqual([
      { external_ref: 'id:9201', segments: { agency: 'DOT', place: 'QUEENS → Open' } },
      { external_ref: 'id:9202', segments: { agency: 'NYPD', place: 'BRONX → Closed' } },
    ]);
    // A mapping without segments stores none (the column's default), as the first import above did.
    expect((await db.query(`SELECT count(*)::int AS n FROM cases WHERE segments <> '{}'::jsonb`)).rows[0].n).toBe(2);
    const tenant = (await db.query(`SELECT id FROM organizations WHERE slug = 'other'`)).rows[0].id as string;
    const seen: Record<string, string>[] = [];
    await forEachTenantCase({ query: (t, q) => db.query(t, q).then((r) => r.rows) }, tenant, (c) => void seen.push(c.segments));
    expect(seen).toEqual([{ agency: 'DOT', place: 'QUEENS → Open' }, { agency: 'NYPD', place: 'BRONX → Closed' }]);
  });
});
