import { createTestApp, TestApp } from './support/app';
import { expectProblem, expectValidation } from './support/problem';
import { count } from './support/sql';

/** The password policy where a password is set (creating a user); the demo log-ins keep working. */
describe('password policy', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login('admin@demo.kept.test');
  });
  afterAll(() => t?.close());

  const create = (email: string, password: string) =>
    t.http().post('/api/v1/users').set('Authorization', admin).send({ email, name: 'Nora New', role: 'engineer', password });

  it('refuses short, e-mail, repeated and common passwords with a clear problem, and creates nothing', async () => {
    const before = await count(t.db.ownerUrl, 'users');
    expectValidation(await create('nora@demo.kept.test', 'elevenchars'), ['password']);
    for (const [password, message] of [
      ['nora.new@demo.kept.test', 'must not be the e-mail address'],
      ['xxxxxxxxxxxxxxxx', 'must not be one character or a short pattern repeated'],
      ['qwerty123456', 'is a commonly used password'],
    ]) {
      const problem = expectProblem(await create('nora.new@demo.kept.test', password), 422, 'WEAK_PASSWORD');
      expect(problem.errors).toEqual([{ path: 'password', message }]);
    }
    expect(await count(t.db.ownerUrl, 'users')).toBe(before);
  });

  it('accepts a good password, which then logs in', async () => {
    expect((await create('nora.new@demo.kept.test', 'rivers-of-copper-7')).status).toBe(201);
    expect(await t.login('nora.new@demo.kept.test', 'rivers-of-copper-7')).toMatch(/^Bearer /);
  });
});
