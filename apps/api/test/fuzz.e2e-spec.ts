import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { WebhookEgress } from '../src/modules/alerts';
import { createTestApp, TestApp } from './support/app';
import { sql } from './support/sql';

/**
 * Fuzzes every operation of the OpenAPI document the API itself serves, with inputs generated from each
 * operation's schemas and hostile ones mixed in (NUL, deep nesting, huge and odd strings, wrong types,
 * broken JSON, odd media types, bad headers). Fixed seed and a bounded number of runs, so it is
 * repeatable and quick. Asserts: never a 5xx, and every error is `application/problem+json`.
 */

const SEED = 20_261_201;
const RUNS_PER_OPERATION = 12;

type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
};
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}
type FuzzBody = { raw?: string; json?: unknown; contentType?: string };
interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const deepJson = (n: number) => '['.repeat(n) + ']'.repeat(n);
const nested = (n: number): unknown => (n === 0 ? 'x' : { a: nested(n - 1) });

/** Values that have broken web APIs before. */
const HOSTILE: unknown[] = [
  '\u0000',
  'a\u0000b',
  '',
  ' ',
  'x'.repeat(10_000),
  '\ud800',
  '🙂'.repeat(300),
  "'; DROP TABLE cases; --",
  '<script>alert(1)</script>',
  '%00',
  '../../../etc/passwd',
  '2024-02-30T25:61:00Z',
  '9999-12-31T23:59:59.999Z',
  '0000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '1970-01-01T00:00:00Z',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'NaN',
  'Infinity',
  '-1',
  '1e400',
  -1,
  0,
  -0,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  true,
  null,
  [],
  {},
  [null],
  JSON.parse('{"__proto__":{"polluted":true}}'),
  { constructor: { prototype: { polluted: true } } },
  nested(40),
];

const hostile = fc.constantFrom(...HOSTILE);

/** Percent-encodes; a lone surrogate (not encodable) becomes invalid UTF-8 on the wire — hostile too. */
const enc = (v: string) => {
  try {
    return encodeURIComponent(v);
  } catch {
    return '%ED%A0%80%FF';
  }
};
const hostileString = fc.constantFrom(...HOSTILE.filter((v): v is string => typeof v === 'string'));

describe('fuzz: every OpenAPI operation, generated and hostile input', () => {
  let t: TestApp;
  let admin: string;
  let doc: OpenApiDoc;
  let ids: string[];

  beforeAll(async () => {
    // The fuzz signs in again whenever it signed itself out (below): no log-in throttle in its way.
    t = await createTestApp({ env: { LOGIN_LIMIT_PER_ACCOUNT: '100000', LOGIN_LIMIT_PER_CLIENT: '100000' } });
    admin = await t.login('admin@demo.kept.test');
    // No network here: webhook hosts resolve publicly through the guard's resolver.
    t.app.get(WebhookEgress).resolveAll = async () => [{ address: '93.184.215.14', family: 4 }];
    const res = await t.http().get('/api/docs/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body as OpenApiDoc;
    // Real ids, so generated requests also reach the code behind the "not found" checks.
    const rows = await sql<{ id: string }>(
      t.db.ownerUrl,
      `(SELECT id FROM cases ORDER BY created_at LIMIT 5) UNION ALL (SELECT id FROM customers LIMIT 3) UNION ALL (SELECT id FROM users LIMIT 3)
       UNION ALL (SELECT id FROM sites LIMIT 2) UNION ALL (SELECT id FROM calendars LIMIT 2) UNION ALL (SELECT id FROM contracts LIMIT 2)
       UNION ALL (SELECT id FROM alert_policies LIMIT 2) UNION ALL (SELECT id FROM alerts LIMIT 3)`,
    );
    ids = rows.map((r) => r.id);
  });
  afterAll(() => t?.close());

  const resolve = (s: Schema): Schema => (s.$ref ? resolve(doc.components.schemas[s.$ref.split('/').pop()!]) : s);

  /** An arbitrary for values of a (resolved) JSON schema, biased towards valid ones. */
  function fromSchema(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
    if (!schema || depth > 6) return fc.jsonValue({ maxDepth: 2 });
    const s = resolve(schema);
    const variants = s.anyOf ?? s.oneOf;
    if (variants) return fc.oneof(...variants.map((v) => fromSchema(v, depth + 1)));
    if (s.allOf?.length) return fromSchema(s.allOf[0], depth + 1);
    if (s.enum) return fc.constantFrom(...s.enum);
    const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
    const base = ((): fc.Arbitrary<unknown> => {
      switch (type) {
        case 'string':
          switch (s.format) {
            case 'uuid':
              return fc.oneof(fc.constantFrom(...ids), fc.uuid());
            case 'date-time':
              return fc.date({ min: new Date('2019-01-01'), max: new Date('2031-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
            case 'date':
              return fc.date({ min: new Date('2019-01-01'), max: new Date('2031-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
            case 'email':
              return fc.emailAddress();
            case 'uri':
              return fc.webUrl();
            default:
              return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 40) });
          }
        case 'integer':
          return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 100_000 });
        case 'number':
          return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
        case 'boolean':
          return fc.boolean();
        case 'array':
          return fc.array(fromSchema(s.items, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 4, 4) });
        case 'object': {
          const props = Object.entries(s.properties ?? {});
          const required = new Set(s.required ?? []);
          return fc.record(Object.fromEntries(props.map(([k, v]) => [k, fromSchema(v, depth + 1)])), {
            requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)),
          });
        }
        default:
          return fc.jsonValue({ maxDepth: 2 });
      }
    })();
    return s.nullable || (Array.isArray(s.type) && s.type.includes('null')) ? fc.option(base, { nil: null }) : base;
  }

  /** A valid-looking value with one field made hostile, or a wholly hostile value. */
  function bodyFor(schema: Schema | undefined): fc.Arbitrary<FuzzBody> {
    const valid = fromSchema(schema);
    const mutated = fc.tuple(valid, fc.string({ maxLength: 12 }), hostile).map(([v, k, h]) => {
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const keys = Object.keys(v);
        const key = keys.length ? keys[Math.abs(k.length * 7919) % keys.length] : k;
        return { ...(v as object), [key]: h };
      }
      return h;
    });
    return fc.oneof(
      { weight: 4, arbitrary: valid.map((json) => ({ json })) },
      { weight: 4, arbitrary: mutated.map((json) => ({ json })) },
      { weight: 1, arbitrary: hostile.map((json) => ({ json })) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          { raw: '{"a":', contentType: 'application/json' },
          { raw: deepJson(50_000), contentType: 'application/json' },
          { raw: `{"name":${deepJson(5000)}}`, contentType: 'application/json' },
          { raw: 'name=a%00b&x[y][z]=1', contentType: 'application/x-www-form-urlencoded' },
          { raw: '<a/>', contentType: 'application/xml' },
          { raw: 'hello', contentType: 'text/plain' },
          { raw: '{"name":"\\u0000"}', contentType: 'application/json' },
          { raw: '\u0000', contentType: 'application/json' },
        ),
      },
    );
  }

  const paramValue = (p: Parameter): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 3, arbitrary: fromSchema(p.schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')) },
      { weight: 2, arbitrary: fc.constantFrom(...ids) },
      { weight: 2, arbitrary: hostileString },
    );

  it(`answers every operation without a 5xx, and every error as problem+json (seed ${SEED})`, async () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
    expect(operations.length).toBeGreaterThan(60);
    let requests = 0;
    const statuses: Record<string, number> = {};
    const failures: string[] = [];
    const started = Date.now();

    for (const [index, { path, method, op }] of operations.entries()) {
      const params = op.parameters ?? [];
      const isStream = path.endsWith('/events');
      const isCsv = !!op.requestBody?.content['text/csv'] || path.endsWith('/imports');
      const jsonSchema = op.requestBody?.content['application/json']?.schema;
      const input = fc.record({
        values: fc.tuple(...params.map(paramValue), fc.constant('')),
        present: fc.array(fc.boolean(), { minLength: params.length + 1, maxLength: params.length + 1 }),
        body: (isCsv
          ? fc
              .array(fc.array(fc.oneof(fc.string({ maxLength: 20 }), hostileString), { minLength: 4, maxLength: 4 }), { maxLength: 5 })
              .map((rows) => ({ raw: ['id,opened,closed,type', ...rows.map((r) => r.map((c) => JSON.stringify(c)).join(','))].join('\n'), contentType: 'text/csv' }))
          : bodyFor(jsonSchema)) as fc.Arbitrary<FuzzBody>,
        auth: fc.constantFrom('admin', 'admin', 'admin', 'admin', 'none', 'garbage'),
      });
      await fc.assert(
        fc.asyncProperty(input, async ({ values, present, body, auth }) => {
          let url = path;
          const query: string[] = [];
          const headers: Record<string, string> = {};
          params.forEach((p, i) => {
            const v = values[i];
            if (p.in === 'path') url = url.replace(`{${p.name}}`, enc(v) || 'x');
            else if (!present[i] && !p.required) return;
            else if (p.in === 'query') query.push(`${enc(p.name)}=${enc(v)}`);
            else if (p.in === 'header' && /^[\t\x20-\x7e]*$/.test(v)) headers[p.name] = v;
          });
          if (isCsv && present[params.length]) headers['X-Kept-Mapping'] = JSON.stringify({ zone: 'UTC', columns: { externalId: 'id', createdAt: 'opened', closedAt: 'closed', category: 'type' } });
          // The live stream answers a valid token by staying open: fuzz it without one.
          if (!isStream && auth === 'admin') headers.Authorization = admin;
          if (auth === 'garbage') headers.Authorization = 'Bearer eyJhbGciOiJub25lIn0.e30.';
          const target = `${url}${query.length ? `?${query.join('&')}` : ''}`;
          let req = t.http()[method as 'get'](target).timeout(20_000);
          for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
          if (method !== 'get' && method !== 'delete') {
            if (body.raw !== undefined) req = req.set('Content-Type', body.contentType ?? 'application/json').send(body.raw);
            else if (body.json !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(body.json));
          }
          const res = await req;
          // A fuzzed "log out everywhere", password or role change can end the fuzzing admin's own session:
          // sign in again, so later requests keep reaching the code behind authentication.
          if (auth === 'admin' && !isStream && res.status === 401) admin = await t.login('admin@demo.kept.test').catch(() => admin);
          requests++;
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          const problem = /^application\/problem\+json/.test(String(res.headers['content-type']));
          if (res.status >= 500 || (res.status >= 400 && !problem)) {
            failures.push(`${method.toUpperCase()} ${target.slice(0, 200)} → ${res.status} ${String(res.headers['content-type'])} ${JSON.stringify(body).slice(0, 300)} ${res.text.slice(0, 200)}`);
          }
        }),
        { seed: SEED + index, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      );
    }

    const fiveHundreds = Object.entries(statuses).filter(([s]) => Number(s) >= 500).reduce((n, [, c]) => n + c, 0);
    const summary = { seed: SEED, operations: operations.length, requests, fiveHundreds, statuses, seconds: (Date.now() - started) / 1000 };
    mkdirSync(join(__dirname, '../../../test-output'), { recursive: true });
    writeFileSync(join(__dirname, '../../../test-output/fuzz-summary.json'), JSON.stringify({ ...summary, failures }, null, 2));
    process.stdout.write(`fuzz: ${requests} requests over ${operations.length} operations, ${fiveHundreds} 5xx, statuses ${JSON.stringify(statuses)}\n`);
    expect(failures).toEqual([]);
    expect(fiveHundreds).toBe(0);
    expect(requests).toBe(operations.length * RUNS_PER_OPERATION);
    // Most requests carry a valid token (4 in 6): the fuzz must reach past authentication, not stop at 401.
    expect(statuses[401] ?? 0).toBeLessThan(requests / 2);
    // ≈ 25 s alone on this 2-core machine; the bound only keeps a loaded CI from failing it for slowness.
  }, 300_000);
});
