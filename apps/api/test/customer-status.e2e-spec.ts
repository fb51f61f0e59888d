import { hashPassword } from '../src/common/auth/password';
import { PUBLIC_ACTION_BURST } from '../src/modules/status-links/public-status.controller';
import { createTestApp, TestApp } from './support/app';
import { expectProblem, expectValidation } from './support/problem';
import { count, sql } from './support/sql';

/**
 * The customer acts on her status page through the link's token: accept or decline a proposed promise,
 * confirm she is satisfied, say it is not fixed, answer the survey. Each action: the right state only
 * (409), idempotent, the same 404 for unknown, revoked and expired links, no reach into another tenant,
 * recorded in the ledger as the customer, rate limited.
 */
describe('customer status actions', () => {
  let t: TestApp;
  const auth: Record<string, string> = {};
  let customerId: string;
  let engineerId: string;

  const post = (path: string, body: unknown, who = 'dispatcher') =>
    t.http().post(`/api/v1${path}`).set('Authorization', auth[who]).send(body as object);
  const get = (path: string, who = 'dispatcher') => t.http().get(`/api/v1${path}`).set('Authorization', auth[who]);
  const act = (token: string, action: string, body: unknown = {}, key?: string) => {
    const req = t.http().post(`/api/v1/public/status/${token}/${action}`);
    if (key) req.set('Idempotency-Key', key);
    return req.send(body as object);
  };
  const view = (token: string) => t.http().get(`/api/v1/public/status/${token}`);
  const tokenOf = (url: string) => url.split('/s/')[1];
  const ledgerOf = async (caseId: string) => (await get(`/cases/${caseId}`)).body.ledger as { field: string; actor: { kind: string }; customerAccepted: string | null; newValue: string | null; reason: string | null }[];
  const customerAlerts = (caseId: string) =>
    count(t.db.ownerUrl, 'alerts', `case_id = '${caseId}' AND kind = 'customer' AND state = 'fired'`);

  /** A fresh case with a live link; `fixed` moves it to fixed (the engineer's first test). */
  async function newCase(opts: { fixed?: boolean; category?: string; stressLevel?: number; customer?: string } = {}) {
    const now = Date.now();
    const res = await post('/cases', {
      customerId: opts.customer ?? customerId,
      category: opts.category ?? 'customer-status-test',
      ...(opts.stressLevel ? { stressLevel: opts.stressLevel } : {}),
      priority: 'normal',
      summary: 'Analyser shows error 42',
      context: 'Five samples before the doctor calls patients at 4',
      openedAt: new Date(now - 3_600_000).toISOString(),
      requiredAt: new Date(now + 86_400_000).toISOString(),
      promisedAt: new Date(now + 43_200_000).toISOString(),
      promiseBreakdown: { arrivalMinutes: 120, diagnosisMinutes: 60, fixMinutes: 120, testMinutes: 30 },
      assigneeId: engineerId,
    });
    expect(res.status).toBe(201);
    let version = res.body.version as number;
    if (opts.fixed) {
      const fixed = await post(`/cases/${res.body.id}/fixed`, { version });
      expect(fixed.status).toBe(200);
      version = fixed.body.version;
    }
    const link = await post(`/cases/${res.body.id}/status-links`, {});
    expect(link.status).toBe(201);
    return { id: res.body.id as string, token: tokenOf(link.body.url), linkId: link.body.id as string };
  }

  beforeAll(async () => {
    t = await createTestApp();
    for (const role of ['dispatcher', 'viewer']) auth[role] = await t.login(`${role}@demo.kept.test`);
    customerId = (await post('/customers', { name: 'Praxis am Markt' })).body.id;
    [{ id: engineerId }] = await sql<{ id: string }>(t.db.ownerUrl, `SELECT id FROM users WHERE email = 'engineer@demo.kept.test'`);
    const [org] = await sql<{ id: string }>(
      t.db.ownerUrl,
      `INSERT INTO organizations (name, slug) VALUES ('Other Service GmbH', 'other-c14') RETURNING id`,
    );
    await sql(
      t.db.ownerUrl,
      `INSERT INTO users (tenant_id, email, name, role, password_hash) VALUES ($1, 'dispatcher@other-c14.kept.test', 'Otto Other', 'dispatcher', $2)`,
      [org.id, await hashPassword('other-password-c14')],
    );
    auth.other = await t.login('dispatcher@other-c14.kept.test', 'other-password-c14');
  });
  afterAll(() => t.close());
  // Every request here comes from one address: each test starts with fresh rate-limit counters.
  beforeEach(() => sql(t.db.ownerUrl, `DELETE FROM throttle_counters`));

  it('shows her need, the promise with its breakdown and step, the engineer\'s first name and the history', async () => {
    const c = await newCase();
    const res = await view(c.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'open',
      context: 'Five samples before the doctor calls patients at 4',
      promise: { version: 1, breakdown: { arrivalMinutes: 120, diagnosisMinutes: 60, fixMinutes: 120, testMinutes: 30 } },
      currentStep: 'arrival',
      engineer: { onTheWay: false, eta: null },
      proposal: null,
      survey: null,
      language: 'en',
      actions: { answerProposal: false, confirmSatisfied: false, reportNotFixed: false, answerSurvey: false },
    });
    // Only a first name: no surname, no staff e-mail.
    expect(res.body.engineer.firstName).not.toContain(' ');
    expect(JSON.stringify(res.body)).not.toMatch(/@demo\.kept\.test|Praxis/);
  });

  it('speaks the language chosen for the customer (German here) and wears the tenant branding', async () => {
    const german = await post('/customers', { name: 'Labor Süd', language: 'de' });
    expect(german.status).toBe(201);
    expect(german.body.language).toBe('de');
    expectValidation(await post('/customers', { name: 'Labor Ost', language: 'fr' }), ['language']);
    const [org] = await sql<{ id: string }>(t.db.ownerUrl, `SELECT tenant_id AS id FROM customers WHERE id = $1`, [german.body.id]);
    await sql(t.db.ownerUrl, `UPDATE organizations SET brand_accent = '#aa3300', brand_logo_url = 'https://example.com/logo.svg' WHERE id = $1`, [org.id]);
    const c = await newCase({ customer: german.body.id });
    const res = await view(c.token);
    expect(res.body).toMatchObject({ language: 'de', branding: { accentColor: '#aa3300', logoUrl: 'https://example.com/logo.svg' } });
  });

  it('a dispatcher proposes a new promise; the customer accepts it: the re-promise is applied as hers, once', async () => {
    const c = await newCase();
    const promisedAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const proposal = await post(`/cases/${c.id}/promise-proposals`, { promisedAt, reason: 'The spare part arrives tomorrow' });
    expect(proposal.status).toBe(201);
    expect(proposal.body).toMatchObject({ state: 'pending', reason: 'The spare part arrives tomorrow' });
    const page = await view(c.token);
    expect(page.body.proposal).toMatchObject({ id: proposal.body.id, reason: 'The spare part arrives tomorrow' });
    expect(page.body.actions.answerProposal).toBe(true);

    const a = await act(c.token, 'proposal/accept', { proposalId: proposal.body.id }, 'accept-1');
    const b = await act(c.token, 'proposal/accept', { proposalId: proposal.body.id }, 'accept-1');
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(a.body.promise).toMatchObject({ version: 2, promisedAt: new Date(promisedAt).toISOString() });
    expect(a.body.history.at(-1)).toMatchObject({ kind: 'promise', to: new Date(promisedAt).toISOString(), reason: 'The spare part arrives tomorrow', customerAccepted: 'yes' });
    expect(a.body.proposal).toBeNull();

    const detail = (await get(`/cases/${c.id}`)).body;
    expect(detail.promiseVersion ?? detail.promises?.length ?? 2).toBeGreaterThanOrEqual(2);
    const entries = (await ledgerOf(c.id)).filter((e) => e.field === 'promisedAt' && e.actor.kind === 'customer');
    expect(entries).toHaveLength(1);
    expect(entries[0].customerAccepted).toBe('yes');

    // Answered: a second answer (a new key) is in the wrong state.
    expectProblem(await act(c.token, 'proposal/accept', { proposalId: proposal.body.id }, 'accept-2'), 409, 'STATUS_ACTION_CONFLICT');
    expectProblem(await act(c.token, 'proposal/decline', { proposalId: proposal.body.id }), 409, 'STATUS_ACTION_CONFLICT');
    const feedback = await get(`/cases/${c.id}/customer-feedback`, 'viewer');
    expect(feedback.body.proposals[0]).toMatchObject({ id: proposal.body.id, state: 'accepted' });
  });

  it('declining keeps the promise, records her answer and alerts the dispatcher', async () => {
    const c = await newCase();
    const before = (await view(c.token)).body.promisedAt;
    const proposal = await post(`/cases/${c.id}/promise-proposals`, { promisedAt: new Date(Date.now() + 3 * 86_400_000).toISOString(), reason: 'Engineer ill' });
    const res = await act(c.token, 'proposal/decline', { proposalId: proposal.body.id, note: 'Too late for us' });
    expect(res.status).toBe(200);
    expect(res.body.promisedAt).toBe(before);
    expect(res.body.history.at(-1)).toMatchObject({ kind: 'declined', customerAccepted: 'no' });
    expect(await customerAlerts(c.id)).toBe(1);
    const inbox = await get(`/alerts?state=open&caseId=${c.id}`);
    expect(inbox.status).toBe(200);
    expect(inbox.body.items[0]).toMatchObject({ ruleKind: 'customer', policyId: null, message: expect.stringContaining('Too late for us') });
    const entry = (await ledgerOf(c.id)).find((e) => e.field === 'proposal' && e.actor.kind === 'customer');
    expect(entry).toMatchObject({ customerAccepted: 'no' });
  });

  it('confirms satisfaction only when fixed (409 before), sets satisfiedAt and ends the link 14 days later', async () => {
    const open = await newCase();
    expectProblem(await act(open.token, 'satisfied'), 409, 'STATUS_ACTION_CONFLICT');
    expectProblem(await act(open.token, 'survey', { csat: 5, stress: 2 }), 409, 'STATUS_ACTION_CONFLICT');

    const c = await newCase({ fixed: true });
    const res = await act(c.token, 'satisfied', {}, 'sat-1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'satisfied', satisfiedAt: expect.any(String) });
    const replay = await act(c.token, 'satisfied', {}, 'sat-1');
    expect(replay.status).toBe(200);
    expect(replay.body.satisfiedAt).toBe(res.body.satisfiedAt);
    expectProblem(await act(c.token, 'satisfied', {}, 'sat-2'), 409, 'STATUS_ACTION_CONFLICT');
    const entries = (await ledgerOf(c.id)).filter((e) => e.field === 'satisfiedAt');
    expect(entries).toHaveLength(1);
    expect(entries[0].actor.kind).toBe('customer');
    const [link] = await sql<{ expires_at: Date }>(t.db.ownerUrl, `SELECT expires_at FROM status_links WHERE id = $1`, [c.linkId]);
    expect(link.expires_at.getTime() - Date.parse(res.body.satisfiedAt)).toBe(14 * 86_400_000);
  });

  it('"not fixed" reopens a fixed case and alerts the dispatcher; 409 when not fixed', async () => {
    const c = await newCase({ fixed: true });
    const res = await act(c.token, 'not-fixed', { comment: 'Still error 42' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'open', fixedAt: null });
    expect(await customerAlerts(c.id)).toBe(1);
    expectProblem(await act(c.token, 'not-fixed', {}), 409, 'STATUS_ACTION_CONFLICT');
    const statusEntry = (await ledgerOf(c.id)).filter((e) => e.field === 'status').at(-1);
    expect(statusEntry).toMatchObject({ newValue: 'open', actor: { kind: 'customer' }, reason: expect.stringContaining('Still error 42') });
  });

  it('takes the survey once, lets her change it for 24 h, then refuses (409)', async () => {
    const c = await newCase({ fixed: true });
    await act(c.token, 'satisfied');
    const first = await act(c.token, 'survey', { csat: 4, stress: 5, comment: 'Stressful day' });
    expect(first.status).toBe(200);
    expect(first.body.survey).toMatchObject({ csat: 4, stress: 5, comment: 'Stressful day' });
    const changed = await act(c.token, 'survey', { csat: 5, stress: 5 });
    expect(changed.body.survey).toMatchObject({ csat: 5, stress: 5, comment: null, answeredAt: first.body.survey.answeredAt });
    expect(await count(t.db.ownerUrl, 'case_surveys', `case_id = '${c.id}'`)).toBe(1);
    expect((await ledgerOf(c.id)).filter((e) => e.field === 'survey' && e.actor.kind === 'customer')).toHaveLength(2);
    await sql(t.db.ownerUrl, `UPDATE case_surveys SET answered_at = now() - interval '25 hours' WHERE case_id = $1`, [c.id]);
    expectProblem(await act(c.token, 'survey', { csat: 1, stress: 1 }), 409, 'STATUS_ACTION_CONFLICT');
    const feedback = await get(`/cases/${c.id}/customer-feedback`);
    expect(feedback.body.survey).toMatchObject({ csat: 5, stress: 5 });
  });

  it('refuses bad survey input with a 400 problem and changes nothing', async () => {
    const c = await newCase({ fixed: true });
    for (const body of [{ csat: 0, stress: 3 }, { csat: 6, stress: 3 }, { csat: 3, stress: 2.5 }, { csat: '3', stress: 3 }, { csat: 3 }]) {
      const res = await act(c.token, 'survey', body);
      expect(res.status).toBe(400);
    }
    expectValidation(await act(c.token, 'survey', { csat: 3, stress: 3, extra: 1 }), []);
    expect(await count(t.db.ownerUrl, 'case_surveys', `case_id = '${c.id}'`)).toBe(0);
  });

  it('answers the same 404 for guessed, malformed, revoked and expired links, and changes nothing', async () => {
    const revoked = await newCase({ fixed: true });
    await post(`/status-links/${revoked.linkId}/revoke`, {});
    const expired = await newCase({ fixed: true });
    await sql(t.db.ownerUrl, `UPDATE status_links SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE id = $1`, [expired.linkId]);
    const details = new Set<string>();
    for (const token of [revoked.token, expired.token, 'B'.repeat(43), 'short']) {
      for (const action of ['satisfied', 'not-fixed', 'survey']) {
        const res = await act(token, action, action === 'survey' ? { csat: 3, stress: 3 } : {});
        const body = expectProblem(res, 404, 'STATUS_LINK_NOT_FOUND');
        details.add(`${body.title}|${body.detail}`);
        expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
      }
    }
    expect(details.size).toBe(1);
    const [r] = await sql<{ status: string }>(t.db.ownerUrl, `SELECT status FROM cases WHERE id = $1`, [revoked.id]);
    expect(r.status).toBe('fixed');
    expect(await count(t.db.ownerUrl, 'case_surveys', `case_id IN ('${revoked.id}', '${expired.id}')`)).toBe(0);
  });

  it("cannot reach another case's proposal or another tenant's case", async () => {
    const mine = await newCase();
    const theirs = await newCase();
    const proposal = await post(`/cases/${theirs.id}/promise-proposals`, { promisedAt: new Date(Date.now() + 86_400_000 * 2).toISOString(), reason: 'Part late' });
    expectProblem(await act(mine.token, 'proposal/accept', { proposalId: proposal.body.id }), 404, 'PROPOSAL_NOT_FOUND');
    // Another tenant's staff cannot propose on, or read the feedback of, this tenant's case.
    expectProblem(await post(`/cases/${mine.id}/promise-proposals`, { promisedAt: new Date(Date.now() + 86_400_000).toISOString(), reason: 'x' }, 'other'), 404, 'NOT_FOUND');
    expectProblem(await get(`/cases/${mine.id}/customer-feedback`, 'other'), 404, 'NOT_FOUND');
    const [p] = await sql<{ state: string }>(t.db.ownerUrl, `SELECT state FROM promise_proposals WHERE id = $1`, [proposal.body.id]);
    expect(p.state).toBe('pending');
  });

  it('never stores the token with an Idempotency-Key, and a key reused for another request is refused', async () => {
    const c = await newCase({ fixed: true });
    await act(c.token, 'survey', { csat: 3, stress: 3 }, 'survey-key');
    expectProblem(await act(c.token, 'survey', { csat: 4, stress: 3 }, 'survey-key'), 422, 'IDEMPOTENCY_KEY_REUSED');
    const [dump] = await sql<{ text: string }>(t.db.ownerUrl, `SELECT coalesce(string_agg(k::text, ' '), '') AS text FROM idempotency_keys k`);
    expect(dump.text).not.toContain(c.token);
  });

  it('lets only staff propose (viewer 403) and refuses a bad proposal (400), changing nothing', async () => {
    const c = await newCase();
    const before = await count(t.db.ownerUrl, 'promise_proposals');
    expectProblem(await post(`/cases/${c.id}/promise-proposals`, { promisedAt: new Date().toISOString(), reason: 'x' }, 'viewer'), 403, 'FORBIDDEN');
    expectValidation(await post(`/cases/${c.id}/promise-proposals`, { promisedAt: 'tomorrow', reason: '' }), ['promisedAt', 'reason']);
    expect(await count(t.db.ownerUrl, 'promise_proposals')).toBe(before);
  });

  it('rate limits the actions per address: 429 problem+json after the burst', async () => {
    const c = await newCase();
    let limited: Awaited<ReturnType<typeof act>> | undefined;
    for (let i = 0; i < PUBLIC_ACTION_BURST + 5 && !limited; i++) {
      const res = await act(c.token, 'satisfied');
      if (res.status === 429) limited = res;
    }
    expect(limited).toBeDefined();
    expectProblem(limited!, 429, 'STATUS_LINK_RATE_LIMITED');
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('analytics: CSAT, keep-rate and gaps by stress level (the survey\'s stress, else the intake\'s)', async () => {
    const category = 'stress-analytics';
    const a = await newCase({ fixed: true, category, stressLevel: 4 });
    await act(a.token, 'satisfied');
    await act(a.token, 'survey', { csat: 5, stress: 2 });
    const b = await newCase({ fixed: true, category, stressLevel: 4 });
    await act(b.token, 'satisfied');
    const c = await newCase({ fixed: true, category, stressLevel: 4 });
    await act(c.token, 'satisfied');
    await act(c.token, 'survey', { csat: 2, stress: 4 });

    const res = await get(`/analytics/stress?category=${category}`, 'viewer');
    expect(res.status).toBe(200);
    expect(res.body.levels.map((l: { stress: number | null }) => l.stress)).toEqual([1, 2, 3, 4, 5]);
    const level = (n: number) => res.body.levels.find((l: { stress: number }) => l.stress === n);
    // a: her survey says 2; b (no survey) and c (survey 4) count at 4.
    expect(level(2)).toMatchObject({ closed: 1, kept: 1, missed: 0, keepRate: 1, surveys: 1, meanCsat: 5, csatCounts: [0, 0, 0, 0, 1] });
    expect(level(4)).toMatchObject({ closed: 2, kept: 2, surveys: 1, meanCsat: 2, csatCounts: [0, 1, 0, 0, 0], needMet: 2 });
    // satisfied now, promised 12 h ahead: about 12 h early; promised 12 h before the 24 h need.
    expect(level(4).medianLateHours).toBeCloseTo(-12, 0);
    expect(level(4).medianPromisedMinusRequiredHours).toBeCloseTo(-12, 0);
    expect(level(1)).toMatchObject({ closed: 0, keepRate: null, meanCsat: null, medianLateHours: null });
    expectValidation(await get(`/analytics/stress?from=yesterday`), ['from']);
  });
});
