import { randomUUID } from 'node:crypto';
import { expectErrorPaths, expectProblem, expectValidation } from './support/problem';
import { createTestApp, TestApp } from './support/app';
import { sql } from './support/sql';

interface Assignee {
  id: string;
  name: string;
  team: string | null;
}
interface CaseBody {
  id: string;
  version: number;
  assignee: Assignee | null;
  ledger: { field: string; oldValue: string | null; newValue: string | null; oldLabel: string | null; newLabel: string | null; reason: string | null; actor: { name: string | null } }[];
}

/**
 * The assignment is data (cases.assignee_id, cases.team): set at create, changed by dispatchers through
 * PUT /cases/:id/assignment with a ledger entry, and read by the board, its filters and the engineers'
 * availability.
 */
describe('case assignment', () => {
  let t: TestApp;
  const auth: Record<string, string> = {};
  let customerId: string;
  let erik: Assignee;
  let nina: Assignee;
  let dispatcherId: string;
  let otherTenantUser: string;

  const request = (method: 'get' | 'post' | 'put', url: string, role: string, body?: object, headers: Record<string, string> = {}) => {
    let req = t.http()[method](`/api/v1${url}`).set('Authorization', auth[role]);
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    return body ? req.send(body) : req;
  };
  const create = async (over: Record<string, unknown> = {}): Promise<CaseBody> => {
    const res = await request('post', '/cases', 'dispatcher', { customerId, category: 'Calibration', summary: 'QC out of range', ...over });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const assign = (c: { id: string; version: number }, body: object, role = 'dispatcher') =>
    request('put', `/cases/${c.id}/assignment`, role, body, { 'If-Match': `W/"${c.version}"` });
  const stored = async (id: string) =>
    (await sql<{ assignee_id: string | null; team: string | null }>(t.db.ownerUrl, 'SELECT assignee_id, team FROM cases WHERE id = $1', [id]))[0];

  beforeAll(async () => {
    t = await createTestApp();
    for (const role of ['admin', 'manager', 'dispatcher', 'engineer', 'viewer']) auth[role] = await t.login(`${role}@demo.kept.test`);
    customerId = (await request('post', '/customers', 'dispatcher', { name: 'Praxis am Markt' })).body.id;
    const [demo] = await sql<{ id: string }>(t.db.ownerUrl, `SELECT id FROM organizations WHERE slug = 'demo'`);
    const users = await sql<{ id: string; name: string; role: string; team: string | null }>(t.db.ownerUrl, 'SELECT id, name, role, team FROM users WHERE tenant_id = $1', [demo.id]);
    const engineer = users.find((u) => u.role === 'engineer');
    dispatcherId = users.find((u) => u.role === 'dispatcher')?.id ?? '';
    if (!engineer || !dispatcherId) throw new Error('the demo tenant lacks an engineer or a dispatcher');
    erik = { id: engineer.id, name: engineer.name, team: engineer.team };
    [nina] = await sql<Assignee>(
      t.db.ownerUrl,
      `INSERT INTO users (tenant_id, email, name, role, password_hash, team) VALUES ($1, 'nina@demo.kept.test', 'Nina Engineer', 'engineer', 'x', 'Field team South')
       RETURNING id, name, team`,
      [demo.id],
    );
    const [other] = await sql<{ id: string }>(t.db.ownerUrl, `INSERT INTO organizations (name, slug) VALUES ('Other', 'other-assign') RETURNING id`);
    [{ id: otherTenantUser }] = await sql<{ id: string }>(
      t.db.ownerUrl,
      `INSERT INTO users (tenant_id, email, name, role, password_hash) VALUES ($1, 'eng@other.test', 'Outsider', 'engineer', 'x') RETURNING id`,
      [other.id],
    );
    // The premise of the team checks: the two engineers are on different teams.
    expect(erik.team).toBeTruthy();
    expect(nina.team).not.toBe(erik.team);
  });
  afterAll(() => t.close());

  it('opens a case assigned to an engineer: assignee with the team, stored in columns, a ledger entry', async () => {
    const c = await create({ assigneeId: erik.id });
    expect(c.assignee).toEqual(erik);
    expect(await stored(c.id)).toEqual({ assignee_id: erik.id, team: erik.team });
    expect(c.ledger.find((e) => e.field === 'assignee')).toEqual(
      expect.objectContaining({ oldValue: null, newValue: erik.id, oldLabel: null, newLabel: erik.name, reason: 'Case opened' }),
    );
    const unassigned = await create();
    expect(unassigned.assignee).toBeNull();
  });

  it('refuses to open a case for an unknown user, a non-engineer or another tenant’s user (422 errors[]), creating nothing', async () => {
    const [{ n: before }] = await sql<{ n: number }>(t.db.ownerUrl, 'SELECT count(*)::int AS n FROM cases');
    for (const assigneeId of [randomUUID(), dispatcherId, otherTenantUser]) {
      const res = await request('post', '/cases', 'dispatcher', { customerId, category: 'Calibration', summary: 'x', assigneeId });
      expectErrorPaths(expectProblem(res, 422, 'INVALID_REFERENCE'), ['assigneeId']);
    }
    const [{ n: after }] = await sql<{ n: number }>(t.db.ownerUrl, 'SELECT count(*)::int AS n FROM cases');
    expect(after).toBe(before);
  });

  it('reassigns with If-Match: the team follows, the ledger names old → new with the reason and who', async () => {
    const c = await create({ assigneeId: erik.id });
    const res = await assign(c, { assigneeId: nina.id, reason: 'Erik is off sick' });
    expect(res.status).toBe(200);
    expect(res.headers['etag']).toBe(`W/"${c.version + 1}"`);
    expect(res.body.assignee).toEqual(nina);
    expect(await stored(c.id)).toEqual({ assignee_id: nina.id, team: nina.team });
    expect(res.body.ledger.at(-1)).toEqual(
      expect.objectContaining({
        field: 'assignee',
        oldValue: erik.id,
        newValue: nina.id,
        oldLabel: erik.name,
        newLabel: nina.name,
        reason: 'Erik is off sick',
        actor: expect.objectContaining({ name: 'Dana Dispatcher' }),
      }),
    );

    // An explicit team wins over the assignee's; null unassigns (the team goes with the assignee).
    const withTeam = await assign(res.body, { assigneeId: erik.id, reason: 'Back', team: 'Night shift' });
    expect(withTeam.body.assignee).toEqual({ ...erik, team: 'Night shift' });
    const board = (await request('get', `/board?team=${encodeURIComponent('Night shift')}`, 'dispatcher')).body;
    expect(board.items.map((i: { id: string }) => i.id)).toEqual([c.id]);
    expect(board.facets.teams).toContain('Night shift');
    const none = await assign(withTeam.body, { assigneeId: null, reason: 'Back to the queue' });
    expect(none.status).toBe(200);
    expect(none.body.assignee).toBeNull();
    expect(await stored(c.id)).toEqual({ assignee_id: null, team: null });
    expect(none.body.ledger.at(-1)).toEqual(expect.objectContaining({ field: 'assignee', oldValue: erik.id, newValue: null, newLabel: null }));
  });

  it('lets only admins, managers and dispatchers assign: engineers and viewers get 403, nothing changes', async () => {
    const c = await create({ assigneeId: erik.id });
    expectProblem(await assign(c, { assigneeId: nina.id, reason: 'mine now' }, 'engineer'), 403, 'FORBIDDEN');
    expectProblem(await assign(c, { assigneeId: nina.id, reason: 'mine now' }, 'viewer'), 403, 'FORBIDDEN');
    expect((await assign(c, { assigneeId: nina.id, reason: 'manager decides' }, 'manager')).status).toBe(200);
    expect(await stored(c.id)).toEqual({ assignee_id: nina.id, team: nina.team });
  });

  it('refuses unknown users (422), a missing reason (400) and stale or missing versions (412/428), changing nothing', async () => {
    const c = await create({ assigneeId: erik.id });
    expectErrorPaths(expectProblem(await assign(c, { assigneeId: randomUUID(), reason: 'x' }), 422, 'INVALID_REFERENCE'), ['assigneeId']);
    expectProblem(await assign(c, { assigneeId: otherTenantUser, reason: 'x' }), 422, 'INVALID_REFERENCE');
    expectValidation(await assign(c, { assigneeId: nina.id }), ['reason']);
    expectValidation(await assign(c, { assigneeId: nina.id, reason: 'x'.repeat(501) }), ['reason']);
    expectProblem(await request('put', `/cases/${c.id}/assignment`, 'dispatcher', { assigneeId: nina.id, reason: 'x' }), 428, 'PRECONDITION_REQUIRED');
    expectProblem(await assign({ id: c.id, version: c.version + 5 }, { assigneeId: nina.id, reason: 'x' }), 412, 'PRECONDITION_FAILED');
    const after = (await request('get', `/cases/${c.id}`, 'dispatcher')).body as CaseBody;
    expect(after.version).toBe(c.version);
    expect(after.ledger).toEqual(c.ledger);
    expect(await stored(c.id)).toEqual({ assignee_id: erik.id, team: erik.team });
  });

  it('feeds the board (assignee, engineer and team filters) and the engineers’ open cases from the column', async () => {
    const mine = await create({ assigneeId: nina.id, summary: 'Nina’s case' });
    const board = await request('get', `/board?engineerId=${nina.id}`, 'dispatcher');
    expect(board.status).toBe(200);
    const ids = board.body.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(mine.id);
    expect(board.body.items.every((i: { assignee: Assignee | null }) => i.assignee?.id === nina.id)).toBe(true);
    const byTeam = await request('get', `/board?team=${encodeURIComponent(nina.team ?? '')}`, 'dispatcher');
    expect(byTeam.body.items.map((i: { id: string }) => i.id)).toContain(mine.id);
    expect(byTeam.body.items.every((i: { assignee: Assignee | null }) => i.assignee?.team === nina.team)).toBe(true);
    const engineers = (await request('get', '/board/engineers', 'dispatcher')).body as { id: string; openCases: number }[];
    const [{ n }] = await sql<{ n: number }>(
      t.db.ownerUrl,
      `SELECT count(*)::int AS n FROM cases WHERE assignee_id = $1 AND status IN ('open','paused','fixed')`,
      [nina.id],
    );
    expect(n).toBeGreaterThan(0);
    expect(engineers.find((e) => e.id === nina.id)?.openCases).toBe(n);
  });

  it('carries the case’s assignee on its alerts, so an inbox can tell “mine”', async () => {
    const c = await create({ assigneeId: erik.id, promisedAt: new Date(Date.now() + 4 * 3_600_000).toISOString() });
    const alerts = await request('get', `/alerts?caseId=${c.id}&state=pending`, 'dispatcher');
    expect(alerts.status).toBe(200);
    const items = alerts.body.items as { caseAssignee: Assignee | null }[];
    expect(items.length).toBeGreaterThan(0);
    for (const a of items) expect(a.caseAssignee).toEqual(erik);
  });
});
