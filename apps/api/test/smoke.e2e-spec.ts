import { createTestApp, TestApp } from './support/app';

describe('API smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('logs in and lists the demo cases', async () => {
    const auth = await t.login('dispatcher@demo.kept.test');
    const res = await t.http().get('/api/v1/cases?limit=5').set('Authorization', auth);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(5);
    expect(res.body.nextCursor).toEqual(expect.any(String));
  });
});
