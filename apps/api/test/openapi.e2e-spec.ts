import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import createClient from 'openapi-fetch';
import { createTestApp, TestApp } from './support/app';
import type { paths } from './support/openapi-types';
import { OPERATION_SUMMARIES } from '../src/common/http/openapi-summaries';

const OUT = join(__dirname, '../../../test-output');
const TYPES = join(__dirname, 'support/openapi-types.ts');
const TYPES_HEADER =
  '// Generated from the served OpenAPI document by openapi-typescript (apps/api/test/openapi.e2e-spec.ts);\n// regenerate with UPDATE_OPENAPI_TYPES=1 and the same jest command. Do not edit.\n/* eslint-disable */\n';

/**
 * The OpenAPI document the API serves is a valid OpenAPI 3.1 document: `redocly lint` (@redocly/cli
 * 2.77.0, recommended rules) reports zero errors.
 */
describe('OpenAPI document', () => {
  let t: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => t?.close());

  it('matches the typed client generated from it (openapi-typescript)', async () => {
    const doc = (await t.http().get('/api/docs/openapi.json')).body;
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'openapi-for-types.json'), JSON.stringify(doc));
    // openapi-typescript is ESM inside: run its CLI in plain Node (Jest cannot load it on Node 20).
    execFileSync(
      process.execPath,
      [
        join(dirname(require.resolve('openapi-typescript/package.json')), 'bin/cli.js'),
        join(OUT, 'openapi-for-types.json'),
        '-o',
        join(OUT, 'openapi-types.ts'),
      ],
      { stdio: 'pipe' },
    );
    const generated = TYPES_HEADER + readFileSync(join(OUT, 'openapi-types.ts'), 'utf8');
    if (process.env.UPDATE_OPENAPI_TYPES === '1') writeFileSync(TYPES, generated);
    if (readFileSync(TYPES, 'utf8') !== generated) {
      throw new Error('apps/api/test/support/openapi-types.ts is stale: run this test once with UPDATE_OPENAPI_TYPES=1 and commit the file');
    }
  }, 120_000);

  it('drives the real API through the typed client (openapi-fetch)', async () => {
    const api = createClient<paths>({ baseUrl });
    const login = await api.POST('/api/v1/auth/login', { body: { email: 'manager@demo.kept.test', password: 'kept-demo' } });
    expect(login.response.status).toBe(200);
    // Typed from the document's 2xx schema (LoginResponseDto): no cast needed.
    const token: string = login.data!.accessToken;
    expect(login.data!.user.email).toBe('manager@demo.kept.test');
    const headers = { Authorization: `Bearer ${token}` };

    const created = await api.POST('/api/v1/customers', {
      body: { name: 'Typed Client Ltd', email: 'ops@typed.example' },
      headers: { ...headers, 'Idempotency-Key': randomUUID() },
    });
    expect(created.response.status).toBe(201);
    const id = (created.data as unknown as { id: string }).id;
    const read = await api.GET('/api/v1/customers/{id}', { params: { path: { id } }, headers });
    expect(read.response.status).toBe(200);
    expect(read.data).toMatchObject({ id, name: 'Typed Client Ltd' });
    const listed = await api.GET('/api/v1/customers', { params: { query: { q: 'Typed Client' } }, headers });
    expect(JSON.stringify(listed.data)).toContain(id);

    // Errors are the documented problem+json.
    const missing = await api.GET('/api/v1/customers/{id}', { params: { path: { id: randomUUID() } }, headers });
    expect(missing.response.status).toBe(404);
    expect(missing.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(missing.error).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const invalid = await api.POST('/api/v1/customers', { body: { name: '' }, headers });
    expect(invalid.error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'name' })] });
  });

  it('documents every operation: a hand-written summary, problem+json errors, security unless public; servers set', async () => {
    const doc = (await t.http().get('/api/docs/openapi.json')).body as {
      servers: { url: string }[];
      paths: Record<string, Record<string, { operationId: string; summary?: string; security?: unknown[]; responses: Record<string, { $ref?: string }> }>>;
    };
    expect(doc.servers).toEqual([expect.objectContaining({ url: expect.stringMatching(/^https?:\/\//) })]);
    const PUBLIC = new Set([
      'AuthController_login',
      'AuthController_refresh',
      'AuthController_logout',
      'AuthController_setPassword',
      'AuthController_signupMode',
      'AuthController_signup',
      'AuthController_verifyEmail',
      'HealthController_health',
      'HealthController_live',
      'HealthController_ready',
    ]);
    // The probes' 503 is their own documented result (terminus: which check failed), read by orchestrators, not a problem.
    const PROBE_RESULT = (op: { operationId: string }, status: string) => status === '503' && op.operationId.startsWith('HealthController_');
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, ...op })));
    expect(ops.length).toBeGreaterThan(100);
    const problems: string[] = [];
    for (const op of ops) {
      const where = `${op.method.toUpperCase()} ${op.path} (${op.operationId})`;
      if (!op.summary || op.summary.length < 12) problems.push(`${where}: no hand-written summary`);
      const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
      if (!errors.some(([status]) => status === '400') || !errors.some(([status]) => status === '500'))
        problems.push(`${where}: 400/500 problem responses missing`);
      for (const [status, response] of errors) {
        if (PROBE_RESULT(op, status)) continue;
        if (response.$ref !== `#/components/responses/Problem${status}`) problems.push(`${where}: ${status} is not problem+json`);
      }
      const isPublic = PUBLIC.has(op.operationId) || op.path.startsWith('/api/v1/public/');
      if (isPublic && op.method === 'post' && !op.responses['429']) problems.push(`${where}: throttled, but 429 not documented`);
      if (isPublic) {
        if (JSON.stringify(op.security) !== '[]') problems.push(`${where}: public but declares security`);
      } else {
        if (JSON.stringify(op.security) !== JSON.stringify([{ bearer: [] }, { 'api-key': [] }])) problems.push(`${where}: no security`);
        if (!op.responses['401']) problems.push(`${where}: no 401`);
      }
    }
    // 2xx response schemas from the zod contracts: so far the auth, API-key and user routes.
    for (const op of ops.filter((o) => /^(AuthController|ApiKeyController|UsersController)_/.test(o.operationId))) {
      const success = Object.entries(
        op.responses as Record<string, { content?: Record<string, { schema?: { $ref?: string; items?: { $ref?: string } } }> }>,
      ).filter(([status]) => status.startsWith('2'));
      const documented = success.some(
        ([status, r]) => status === '204' || Boolean(r.content?.['application/json']?.schema?.$ref ?? r.content?.['application/json']?.schema?.items?.$ref),
      );
      if (!documented) problems.push(`${op.method.toUpperCase()} ${op.path} (${op.operationId}): no 2xx response schema`);
    }
    expect(problems).toEqual([]);
    // Every hand-written summary names an operation that exists (no stale entries).
    const ids = new Set(ops.map((op) => op.operationId));
    expect(Object.keys(OPERATION_SUMMARIES).filter((id) => !ids.has(id))).toEqual([]);
    const problemSchema = (doc as unknown as { components: { responses: Record<string, { content: Record<string, unknown> }> } }).components.responses
      .Problem429;
    expect(Object.keys(problemSchema.content)).toEqual(['application/problem+json']);
  });

  it('passes redocly lint with zero errors', async () => {
    const res = await t.http().get('/api/docs/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, 'openapi.json');
    writeFileSync(file, JSON.stringify(res.body, null, 2));
    const cli = require.resolve('@redocly/cli/bin/cli.js');
    let output: string;
    try {
      output = execFileSync(process.execPath, [cli, 'lint', file, '--format=json'], {
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_UPDATE_NOTIFIER: '1', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      output = String((err as { stdout?: string }).stdout ?? '');
    }
    const report = JSON.parse(output.slice(output.indexOf('{'))) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
    };
    writeFileSync(join(OUT, 'openapi-lint.json'), JSON.stringify(report.totals));
    const errors = report.problems
      .filter((p) => (p as { severity?: string }).severity === 'error')
      .map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 120_000);
});
