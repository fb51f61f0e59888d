import { createTestApp, TestApp } from './support/app';
import { expectProblem } from './support/problem';
import { count, sql } from './support/sql';

/**
 * Input PostgreSQL or the stack cannot take is refused at the edge with problem+json and changes
 * nothing: NUL characters (body strings and keys, query, path, CSV cells) and deeply nested JSON — with
 * an Idempotency-Key on every idempotent create, where the fingerprint used to overflow the stack.
 */
describe('bad input at the edge', () => {
  let t: TestApp;
  let admin: string;
  let caseId: string;

  const api = (method: 'get' | 'post' | 'patch', path: string) => t.http()[method](`/api/v1${path}`).set('Authorization', admin);
  const tables = ['customers', 'sites', 'assets', 'cases', 'users', 'status_links', 'alert_policies', 'contracts', 'calendars', 'idempotency_keys'];
  const counts = async () => Object.fromEntries(await Promise.all(tables.map(async (n) => [n, await count(t.db.ownerUrl, n)] as const)));

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.kept.test');
    [{ id: caseId }] = await sql<{ id: string }>(t.db.ownerUrl, `SELECT id FROM cases ORDER BY created_at LIMIT 1`);
  });
  afterAll(() => t?.close());

  it('refuses a NUL character in body strings and keys, query parameters and paths with 400, changing nothing', async () => {
    const before = await counts();
    const cases: [string, 'post' | 'get', string, object | undefined, string][] = [
      ['customer name', 'post', '/customers', { name: 'Acme\u0000Labs' }, 'name'],
      ['nested note', 'post', '/customers', { name: 'Acme', notes: { deep: ['ok', 'b\u0000d'] } }, 'notes.deep.1'],
      ['a key', 'post', '/customers', { ['na\u0000me']: 'Acme' }, '(body)'],
      ['case summary', 'post', '/cases', { summary: '\u0000', category: 'x', priority: 'normal' }, 'summary'],
      ['login e-mail', 'post', '/auth/login', { email: 'admin@demo.kept.test\u0000', password: 'x' }, 'email'],
      ['query parameter', 'get', '/cases?q=a%00b', undefined, '(query)'],
      ['query key', 'get', '/customers?q%00=a', undefined, '(query)'],
      ['path', 'get', '/public/status/abc%00def', undefined, '(path)'],
    ];
    for (const [what, method, path, body, at] of cases) {
      const req = api(method, path);
      const res = body ? await req.send(body) : await req;
      const problem = expectProblem(res, 400, 'VALIDATION_FAILED');
      expect({ what, errors: problem.errors }).toEqual({ what, errors: [{ path: at, message: expect.stringMatching(/NUL \(U\+0000\)/) }] });
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses deeply nested JSON with an Idempotency-Key on all 9 idempotent creates (400, not 500)', async () => {
    const before = await counts();
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const creates = ['/customers', '/sites', '/assets', '/cases', '/users', `/cases/${caseId}/status-links`, '/alert-policies', '/contracts', '/calendars'];
    for (const [i, path] of creates.entries()) {
      for (const body of [`{"name":${deep}}`, deep]) {
        const res = await api('post', path).set('Idempotency-Key', `deep-${i}-${body.length}-${body[0]}`).set('Content-Type', 'application/json').send(body);
        expect(expectProblem(res, 400, 'MALFORMED_REQUEST').detail).toMatch(/nested deeper than 32 levels/);
      }
    }
    // 33 levels is refused, 32 passes the guard (and is then refused by the schema, as any wrong shape).
    const nest = (n: number): unknown => (n === 1 ? 'x' : { a: nest(n - 1) });
    expectProblem(await api('post', '/customers').send({ name: nest(33) }), 400, 'MALFORMED_REQUEST');
    expectProblem(await api('post', '/customers').send({ name: nest(32) }), 400, 'VALIDATION_FAILED');
    expect(await counts()).toEqual(before);
  });

  it('refuses a body over 1 MB with 413', async () => {
    const res = await api('post', '/customers').set('Idempotency-Key', 'big-1').send({ name: 'x'.repeat(1_100_000) });
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('rejects a CSV row with a NUL cell and imports the others', async () => {
    const mapping = JSON.stringify({ zone: 'UTC', columns: { externalId: 'id', createdAt: 'opened', closedAt: 'closed', category: 'type' } });
    const csv = 'id,opened,closed,type\nn1,2024-01-02 09:00:00,2024-01-02 12:00:00,Pu\u0000mp\nn2,2024-01-02 09:00:00,2024-01-02 12:00:00,Pump\n';
    const res = await api('post', '/imports').set('Content-Type', 'text/csv').set('X-Kept-Mapping', mapping).send(csv);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rows: 2, inserted: 1, rejected: 1, rejectedRows: [{ line: 2, reason: 'column "type" contains a NUL (U+0000) character' }] });
  });
});
