import { createTestApp, TestApp } from './support/app';
import { expectProblem } from './support/problem';
import { sql } from './support/sql';

/** An organization always keeps an active admin: the last one can be neither demoted nor deactivated. */
describe('the last active admin', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.kept.test');
  });
  afterAll(() => t?.close());

  const user = async (id: string) => (await t.http().get(`/api/v1/users/${id}`).set('Authorization', admin)).body as { id: string; role: string; active: boolean; version: number };
  const patch = async (id: string, body: object) => {
    const { version } = await user(id);
    return t.http().patch(`/api/v1/users/${id}`).set('Authorization', admin).set('If-Match', `W/"${version}"`).send(body);
  };
  const activeAdmins = async () => (await sql<{ n: number }>(t.db.ownerUrl, `SELECT count(*)::int AS n FROM users u JOIN organizations o ON o.id = u.tenant_id WHERE u.role = 'admin' AND u.active AND u.email LIKE '%@demo.kept.test'`))[0].n;

  it('refuses to demote or deactivate the only active admin (409), changing nothing', async () => {
    expect(await activeAdmins()).toBe(1);
    const [{ id }] = await sql<{ id: string }>(t.db.ownerUrl, `SELECT id FROM users WHERE email = 'admin@demo.kept.test'`);
    const before = await user(id);
    expect(expectProblem(await patch(id, { role: 'manager' }), 409, 'LAST_ADMIN').detail).toMatch(/only active admin.*before demoting/);
    expect(expectProblem(await patch(id, { active: false }), 409, 'LAST_ADMIN').detail).toMatch(/before deactivating/);
    expect(await user(id)).toEqual(before);
    // Other changes to the last admin are fine.
    expect((await patch(id, { name: 'Ada Admin' })).status).toBe(200);
  });

  it('allows it once another admin exists, and never lets two concurrent demotions remove both', async () => {
    const created = await t.http().post('/api/v1/users').set('Authorization', admin).send({ email: 'second.admin@demo.kept.test', name: 'Second Admin', role: 'admin', password: 'rivers-of-copper-7' });
    expect(created.status).toBe(201);
    const [{ id: first }] = await sql<{ id: string }>(t.db.ownerUrl, `SELECT id FROM users WHERE email = 'admin@demo.kept.test'`);
    const second = created.body.id as string;
    expect(await activeAdmins()).toBe(2);

    for (let round = 0; round < 3; round++) {
      // The acting admin is `first`: when its own demotion commits first, its session ends with it, so the
      // other request is refused either as the last admin (409) or, arriving after that commit, as signed out (401).
      const [a, b] = await Promise.all([patch(first, { role: 'viewer' }), patch(second, { active: false })]);
      const statuses = [a.status, b.status].sort();
      expect([[200, 409], ...(a.status === 200 ? [[200, 401]] : [])]).toContainEqual(statuses);
      expect(await activeAdmins()).toBe(1);
      // Restore both for the next round (directly: the API would be right to refuse nothing here); a role
      // change ends the user's sessions, so sign in again.
      await sql(t.db.ownerUrl, `UPDATE users SET role = 'admin', active = true WHERE id = ANY($1)`, [[first, second]]);
      admin = await t.login('admin@demo.kept.test');
    }
    expect((await patch(second, { role: 'manager' })).status).toBe(200);
    expectProblem(await patch(first, { active: false }), 409, 'LAST_ADMIN');
  });
});
