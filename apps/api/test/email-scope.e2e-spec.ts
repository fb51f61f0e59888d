// Issue 12 (Low): e-mail uniqueness across organizations answered 409 and so confirmed that an address
// had an account in another organization. Addresses are now unique per organization; log-in finds the
// account by e-mail and password, and asks for the organization only when the password fits several.
import { randomUUID } from 'node:crypto';
import { hashPassword } from '../src/common/auth/password';
import { createTestApp, TestApp } from './support/app';
import { expectProblem } from './support/problem';
import { count, sql } from './support/sql';

describe('e-mail addresses are unique per organization', () => {
  let t: TestApp;
  let otherAdmin: string;
  const OTHER = { id: randomUUID(), slug: 'other-org' };
  const DEMO_ENGINEER = 'engineer@demo.kept.test';

  beforeAll(async () => {
    t = await createTestApp();
    // A second organization and its admin, as `kept tenant create` would make them.
    await sql(t.db.ownerUrl, `INSERT INTO organizations (id, name, slug) VALUES ($1, 'Other Org', $2)`, [OTHER.id, OTHER.slug]);
    await sql(t.db.ownerUrl, `INSERT INTO users (tenant_id, email, name, role, password_hash, active) VALUES ($1, 'boss@other.test', 'Boss', 'admin', $2, true)`, [
      OTHER.id,
      await hashPassword('other-admin-password'),
    ]);
    otherAdmin = await t.login('boss@other.test', 'other-admin-password');
  });
  afterAll(() => t?.close());

  const createUser = (email: string, password: string, auth = otherAdmin) =>
    t.http().post('/api/v1/users').set('Authorization', auth).send({ email, name: 'Someone', role: 'engineer', password });

  it('creating or inviting an address used in another organization answers exactly as for an unused one', async () => {
    // The address is really taken in the demo organization (so the check below is meaningful).
    expect(await count(t.db.ownerUrl, 'users', 'lower(email) = $1', [DEMO_ENGINEER])).toBe(1);
    const fresh = await createUser('never-used@other.test', 'a-fresh-password-12');
    const elsewhere = await createUser(DEMO_ENGINEER, 'another-password-34');
    expect(fresh.status).toBe(201);
    expect(elsewhere.status).toBe(201);
    expect(Object.keys(elsewhere.body).sort()).toEqual(Object.keys(fresh.body).sort());
    expect(elsewhere.body).toMatchObject({ email: DEMO_ENGINEER, tenantId: OTHER.id });

    const invitedFresh = await t.http().post('/api/v1/auth/invitations').set('Authorization', otherAdmin).send({ email: 'invitee@other.test', name: 'I', role: 'viewer' });
    const invitedElsewhere = await t.http().post('/api/v1/auth/invitations').set('Authorization', otherAdmin).send({ email: 'manager@demo.kept.test', name: 'M', role: 'viewer' });
    expect(invitedFresh.status).toBe(201);
    expect(invitedElsewhere.status).toBe(201);

    // Within one organization an address is still unique.
    expectProblem(await createUser(DEMO_ENGINEER.toUpperCase(), 'yet-another-password-56'), 409, 'CONFLICT');
    expectProblem(await t.http().post('/api/v1/auth/invitations').set('Authorization', otherAdmin).send({ email: 'never-used@other.test', name: 'N', role: 'viewer' }), 409, 'CONFLICT');
  });

  it('log-in finds the account whose password fits, in its own organization', async () => {
    const demo = await t.http().post('/api/v1/auth/login').send({ email: DEMO_ENGINEER, password: 'kept-demo' });
    expect(demo.status).toBe(200);
    expect(demo.body.organization.id).not.toBe(OTHER.id);
    const other = await t.http().post('/api/v1/auth/login').send({ email: DEMO_ENGINEER, password: 'another-password-34' });
    expect(other.status).toBe(200);
    expect(other.body.organization).toEqual({ id: OTHER.id, name: 'Other Org' });
    // A wrong password answers as for an unknown address.
    const wrong = expectProblem(await t.http().post('/api/v1/auth/login').send({ email: DEMO_ENGINEER, password: 'wrong-password' }), 401, 'UNAUTHENTICATED');
    const unknown = expectProblem(await t.http().post('/api/v1/auth/login').send({ email: 'nobody@nowhere.test', password: 'wrong-password' }), 401, 'UNAUTHENTICATED');
    expect(wrong.detail).toBe(unknown.detail);
  });

  it('asks for the organization only when the password fits accounts in several, and logs in to the one named', async () => {
    const email = 'twin@both.test';
    expect((await createUser(email, 'same-password-in-both')).status).toBe(201);
    const demoAdmin = await t.login('admin@demo.kept.test');
    expect((await createUser(email, 'same-password-in-both', demoAdmin)).status).toBe(201);

    const ambiguous = expectProblem(await t.http().post('/api/v1/auth/login').send({ email, password: 'same-password-in-both' }), 409, 'ORGANIZATION_REQUIRED');
    expect(ambiguous.detail).toMatch(/several organizations/);
    expectProblem(await t.http().post('/api/v1/auth/login').send({ email, password: 'not-the-password' }), 401, 'UNAUTHENTICATED');

    const named = await t.http().post('/api/v1/auth/login').send({ email, password: 'same-password-in-both', organization: 'OTHER-ORG' });
    expect(named.status).toBe(200);
    expect(named.body.organization.id).toBe(OTHER.id);
    // Or by its name, as the admin knows it.
    const byName = await t.http().post('/api/v1/auth/login').send({ email, password: 'same-password-in-both', organization: ' other org ' });
    expect(byName.body.organization?.id).toBe(OTHER.id);
    const [demoOrg] = await sql<{ slug: string; id: string }>(t.db.ownerUrl, `SELECT id, slug FROM organizations WHERE id <> $1 ORDER BY created_at LIMIT 1`, [OTHER.id]);
    const demo = await t.http().post('/api/v1/auth/login').send({ email, password: 'same-password-in-both', organization: demoOrg.slug });
    expect(demo.status).toBe(200);
    expect(demo.body.organization.id).toBe(demoOrg.id);
    // A wrong organization is just a failed log-in.
    expectProblem(await t.http().post('/api/v1/auth/login').send({ email, password: 'same-password-in-both', organization: 'no-such-org' }), 401, 'UNAUTHENTICATED');
  });
});
