import { hashPassword } from '../src/common/auth/password';
import { createTestApp, TestApp } from './support/app';
import { expectProblem, expectValidation } from './support/problem';
import { sql } from './support/sql';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(512, 1)]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');

/**
 * The Branding settings (issue 14): an admin names the organization, picks an accent colour that keeps
 * white text readable (WCAG AA), uploads a logo (PNG/JPEG/WebP, ≤ 256 KB), sets the default language and
 * opts in to customer e-mails; the customer's status page wears them. Bad input is problem+json and
 * changes nothing.
 */
describe('organization settings (branding)', () => {
  let t: TestApp;
  const auth: Record<string, string> = {};
  let orgId: string;

  const get = (who = 'admin') => t.http().get('/api/v1/organization/settings').set('Authorization', auth[who]);
  const patch = (body: object, version: number | string, who = 'admin') =>
    t.http().patch('/api/v1/organization/settings').set('Authorization', auth[who]).set('If-Match', `W/"${version}"`).send(body);
  const putLogo = (body: Buffer, type: string, who = 'admin') =>
    t.http().put('/api/v1/organization/settings/logo').set('Authorization', auth[who]).set('Content-Type', type).send(body);
  const versionNow = async () => (await get()).body.version as number;

  beforeAll(async () => {
    t = await createTestApp();
    for (const role of ['admin', 'manager', 'dispatcher']) auth[role] = await t.login(`${role}@demo.kept.test`);
    [{ id: orgId }] = await sql<{ id: string }>(t.db.ownerUrl, `SELECT tenant_id AS id FROM users WHERE email = 'admin@demo.kept.test'`);
  });
  afterAll(() => t.close());

  it('lets an admin change name, accent, language and customer e-mails, with optimistic concurrency', async () => {
    const before = await get();
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ accentColor: null, logo: null, defaultLanguage: 'en', customerEmails: false });
    expect(before.headers.etag).toBe(`W/"${before.body.version}"`);

    const res = await patch({ name: 'Nordlicht Service', accentColor: '#1F3A5F', defaultLanguage: 'de', customerEmails: true }, before.body.version);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Nordlicht Service', accentColor: '#1F3A5F', defaultLanguage: 'de', customerEmails: true, version: before.body.version + 1 });

    // The version read before is stale now: 412, nothing changed.
    expectProblem(await patch({ name: 'Lost update' }, before.body.version), 412);
    expectProblem(await t.http().patch('/api/v1/organization/settings').set('Authorization', auth.admin).send({ name: 'No version' }), 428);
    expect((await get()).body.name).toBe('Nordlicht Service');

    // A new customer speaks the default language unless told otherwise.
    const de = await t.http().post('/api/v1/customers').set('Authorization', auth.dispatcher).send({ name: 'Neue Kundin' });
    expect(de.body.language).toBe('de');
    const en = await t.http().post('/api/v1/customers').set('Authorization', auth.dispatcher).send({ name: 'New customer', language: 'en' });
    expect(en.body.language).toBe('en');
  });

  it('refuses an accent colour white text cannot be read on (WCAG AA), and malformed input', async () => {
    const version = await versionNow();
    const low = expectProblem(await patch({ accentColor: '#ffcc00' }, version), 422, 'ACCENT_CONTRAST_TOO_LOW');
    expect(low.detail).toContain('1.51 : 1');
    expect(low.errors).toEqual([expect.objectContaining({ path: 'accentColor' })]);
    // #777777 is 4.48 : 1, just under; #767676 is 4.54 : 1, just over.
    expectProblem(await patch({ accentColor: '#777777' }, version), 422, 'ACCENT_CONTRAST_TOO_LOW');
    expectValidation(await patch({ accentColor: 'red' }, version), ['accentColor']);
    expectValidation(await patch({ defaultLanguage: 'fr' }, version), ['defaultLanguage']);
    expectValidation(await patch({ name: '' }, version), ['name']);
    expectProblem(await patch({ brand_logo_url: 'https://evil.example/x.png' }, version), 400);
    expect(await versionNow()).toBe(version);
    const ok = await patch({ accentColor: '#767676' }, version);
    expect(ok.status).toBe(200);
    expect(ok.body.accentColor).toBe('#767676');
  });

  it('is for admins only', async () => {
    expectProblem(await get('manager'), 403);
    expectProblem(await patch({ name: 'Manager was here' }, await versionNow(), 'dispatcher'), 403);
    expectProblem(await putLogo(PNG, 'image/png', 'manager'), 403);
    expectProblem(await t.http().get('/api/v1/organization/settings'), 401);
  });

  it('stores a logo within the limits; the status page shows it; other tenants never see it', async () => {
    expectProblem(await putLogo(Buffer.concat([PNG, Buffer.alloc(256 * 1024)]), 'image/png'), 413, 'LOGO_TOO_LARGE');
    expectProblem(await putLogo(PDF, 'application/pdf'), 415, 'LOGO_UNSUPPORTED_TYPE');
    expectProblem(await putLogo(PDF, 'image/png'), 415, 'LOGO_UNSUPPORTED_TYPE');
    expectProblem(await putLogo(Buffer.from('<svg/>'), 'image/svg+xml'), 415, 'LOGO_UNSUPPORTED_TYPE');
    expect((await get()).body.logo).toBeNull();

    const up = await putLogo(PNG, 'image/png');
    expect(up.status).toBe(200);
    expect(up.body.logo).toEqual({ contentType: 'image/png', size: PNG.length });

    // Her page: the uploaded logo, by a URL that changes with each new upload.
    const customer = (await t.http().post('/api/v1/customers').set('Authorization', auth.dispatcher).send({ name: 'Logo test' })).body.id;
    const c = await t.http().post('/api/v1/cases').set('Authorization', auth.dispatcher).send({
      customerId: customer,
      category: 'branding-test',
      priority: 'normal',
      summary: 'Logo check',
      openedAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const link = await t.http().post(`/api/v1/cases/${c.body.id}/status-links`).set('Authorization', auth.dispatcher).send({});
    const page = await t.http().get(`/api/v1/public/status/${link.body.url.split('/s/')[1]}`);
    expect(page.body.branding).toEqual({ accentColor: '#767676', logoUrl: `/api/v1/public/brand/${orgId}/logo?v=${up.body.version}` });
    expect(page.body.organization).toBe('Nordlicht Service');
    const logo = await t.http().get(page.body.branding.logoUrl).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(logo.status).toBe(200);
    expect(logo.headers['content-type']).toBe('image/png');
    expect(logo.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(logo.body as Buffer, PNG)).toBe(0);

    // Another organization (no logo) answers 404, as does an unknown one; a malformed id is refused.
    const [other] = await sql<{ id: string }>(t.db.ownerUrl, `INSERT INTO organizations (name, slug) VALUES ('Other', 'other-brand') RETURNING id`);
    expectProblem(await t.http().get(`/api/v1/public/brand/${other.id}/logo`), 404, 'LOGO_NOT_FOUND');
    expectProblem(await t.http().get(`/api/v1/public/brand/00000000-0000-4000-8000-000000000000/logo`), 404, 'LOGO_NOT_FOUND');
    expect((await t.http().get(`/api/v1/public/brand/not-a-uuid/logo`)).status).toBeGreaterThanOrEqual(400);

    // An admin of the other organization sees and changes only hers.
    await sql(t.db.ownerUrl, `INSERT INTO users (tenant_id, email, name, role, password_hash) VALUES ($1, 'admin@other-brand.kept.test', 'Olga Other', 'admin', $2)`, [
      other.id,
      await hashPassword('other-password-brand'),
    ]);
    auth.other = await t.login('admin@other-brand.kept.test', 'other-password-brand');
    const theirs = await get('other');
    expect(theirs.body).toMatchObject({ name: 'Other', logo: null, accentColor: null });
    expect((await putLogo(PNG, 'image/png', 'other')).status).toBe(200);
    expect((await get()).body.logo).toEqual({ contentType: 'image/png', size: PNG.length });

    const removed = await t.http().delete('/api/v1/organization/settings/logo').set('Authorization', auth.admin);
    expect(removed.body.logo).toBeNull();
    expectProblem(await t.http().get(`/api/v1/public/brand/${orgId}/logo`), 404, 'LOGO_NOT_FOUND');
  });
});
