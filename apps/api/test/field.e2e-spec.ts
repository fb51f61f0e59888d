import { hashPassword } from '../src/common/auth/password';
import { createTestApp, TestApp } from './support/app';
import { expectProblem, expectValidation } from './support/problem';
import { count, sql } from './support/sql';

const MB = 1024 * 1024;
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2048, 7)]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(512, 1)]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const HEIC = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(256, 2)]);

/**
 * The engineer in the field, end to end: he asks for a re-promise (the dispatcher sees it in the inbox and
 * on the case, accepts — the existing re-promise — or edits or declines it), milestone taps replayed with
 * their Idempotency-Key are recorded once, and photos/PDFs are taken up to 10 MB (413 beyond, 415 for other
 * types or a file that lies about its type), kept per tenant (another tenant's file is a 404) and never
 * shown on the public status page.
 */
describe('field: re-promise requests, idempotent taps, attachments', () => {
  let t: TestApp;
  const auth: Record<string, string> = {};
  let customerId: string;

  const post = (path: string, body: unknown, who = 'engineer') =>
    t
      .http()
      .post(`/api/v1${path}`)
      .set('Authorization', auth[who])
      .send(body as object);
  const get = (path: string, who = 'dispatcher') => t.http().get(`/api/v1${path}`).set('Authorization', auth[who]);
  const upload = (caseId: string, body: Buffer, type: string, query = '', who = 'engineer') =>
    t.http().post(`/api/v1/cases/${caseId}/attachments${query}`).set('Authorization', auth[who]).set('Content-Type', type).send(body);

  async function newCase(summary: string) {
    const now = Date.now();
    const res = await post(
      '/cases',
      {
        customerId,
        category: 'field-test',
        priority: 'normal',
        summary,
        openedAt: new Date(now - 3_600_000).toISOString(),
        requiredAt: new Date(now + 86_400_000).toISOString(),
        promisedAt: new Date(now + 7_200_000).toISOString(),
      },
      'dispatcher',
    );
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number; reference: string };
  }

  beforeAll(async () => {
    t = await createTestApp();
    for (const role of ['dispatcher', 'engineer', 'viewer']) auth[role] = await t.login(`${role}@demo.kept.test`);
    customerId = (await post('/customers', { name: 'Praxis Feld' }, 'dispatcher')).body.id;
    const [org] = await sql<{ id: string }>(t.db.ownerUrl, `INSERT INTO organizations (name, slug) VALUES ('Field Other Ltd', 'field-other') RETURNING id`);
    await sql(
      t.db.ownerUrl,
      `INSERT INTO users (tenant_id, email, name, role, password_hash) VALUES ($1, 'dispatcher@field-other.kept.test', 'Olga Other', 'dispatcher', $2)`,
      [org.id, await hashPassword('field-other-password-9')],
    );
    auth.other = await t.login('dispatcher@field-other.kept.test', 'field-other-password-9');
  });
  afterAll(() => t.close());

  describe('re-promise requests', () => {
    it('the engineer asks; the dispatcher sees it in the inbox and on the case, and accepting makes the re-promise', async () => {
      const c = await newCase('Centrifuge imbalance');
      const proposedAt = new Date(Date.now() + 5 * 3_600_000).toISOString();
      const asked = await post(`/cases/${c.id}/repromise-requests`, { proposedAt, reason: 'The rotor must come from the depot' });
      expect(asked.status).toBe(201);
      expect(asked.body).toMatchObject({ caseId: c.id, state: 'open', proposedAt, reason: 'The rotor must come from the depot', alertId: expect.any(String) });
      expect(asked.body.requestedBy.name).toEqual(expect.any(String));

      // A second open request for the same case is refused; nothing is stored.
      expectProblem(await post(`/cases/${c.id}/repromise-requests`, { proposedAt, reason: 'again' }), 409, 'REPROMISE_REQUEST_ALREADY_OPEN');
      expect(await count(t.db.ownerUrl, 'repromise_requests', `case_id = $1`, [c.id])).toBe(1);

      const inbox = await get(`/alerts?caseId=${c.id}`);
      expect(inbox.status).toBe(200);
      const alert = inbox.body.items.find((a: { id: string }) => a.id === asked.body.alertId);
      expect(alert).toMatchObject({ ruleKind: 'request', state: 'fired', severity: 'high', caseId: c.id });
      expect(alert.message).toContain('The rotor must come from the depot');

      const onCase = await get(`/cases/${c.id}/repromise-requests`);
      expect(onCase.body.items.map((r: { id: string }) => r.id)).toEqual([asked.body.id]);

      // Only staff answer: the engineer cannot accept his own request.
      expectProblem(await post(`/repromise-requests/${asked.body.id}/accept`, { version: c.version }, 'engineer'), 403);
      // A stale case version changes nothing.
      expectProblem(await post(`/repromise-requests/${asked.body.id}/accept`, { version: c.version + 5 }, 'dispatcher'), 409);

      const accepted = await post(`/repromise-requests/${asked.body.id}/accept`, { version: c.version }, 'dispatcher');
      expect(accepted.status).toBe(200);
      expect(accepted.body.request).toMatchObject({ state: 'accepted', acceptedPromisedAt: proposedAt, decidedBy: { name: expect.any(String) } });
      expect(accepted.body.case.promisedAt).toBe(proposedAt);
      expect(accepted.body.case.promises.at(-1)).toMatchObject({ promisedAt: proposedAt });
      const ledger = accepted.body.case.ledger.filter((e: { field: string }) => e.field === 'promisedAt').at(-1);
      expect(ledger.reason).toContain('The rotor must come from the depot');

      const after = await get(`/alerts?caseId=${c.id}&state=all`);
      expect(after.body.items.find((a: { id: string }) => a.id === asked.body.alertId).state).toBe('acknowledged');
      // Answered once: a second answer is a conflict.
      expectProblem(await post(`/repromise-requests/${asked.body.id}/decline`, { note: 'no' }, 'dispatcher'), 409, 'REPROMISE_REQUEST_DECIDED');
    });

    it('the dispatcher may edit the time when accepting, or decline with a note', async () => {
      const c = await newCase('Autoclave door seal');
      const proposedAt = new Date(Date.now() + 4 * 3_600_000).toISOString();
      const edited = new Date(Date.now() + 6 * 3_600_000).toISOString();
      const first = await post(`/cases/${c.id}/repromise-requests`, { proposedAt, reason: 'Seal cracked' });
      const accepted = await t
        .http()
        .post(`/api/v1/repromise-requests/${first.body.id}/accept`)
        .set('Authorization', auth.dispatcher)
        .set('If-Match', `W/"${c.version}"`)
        .send({ promisedAt: edited });
      expect(accepted.status).toBe(200);
      expect(accepted.body.request.acceptedPromisedAt).toBe(edited);
      expect(accepted.body.case.promisedAt).toBe(edited);

      const second = await post(`/cases/${c.id}/repromise-requests`, { proposedAt: new Date(Date.now() + 9 * 3_600_000).toISOString(), reason: 'Wrong seal delivered' });
      expect(second.status).toBe(201);
      const declined = await post(`/repromise-requests/${second.body.id}/decline`, { note: 'Take the seal from the van' }, 'dispatcher');
      expect(declined.status).toBe(200);
      expect(declined.body).toMatchObject({ state: 'declined', decisionNote: 'Take the seal from the van', acceptedPromisedAt: null });
      expect((await get(`/cases/${c.id}`)).body.promisedAt).toBe(edited);
    });

    it('refuses bad input, closed cases and other tenants, changing nothing', async () => {
      const c = await newCase('Pipette robot jams');
      expectValidation(await post(`/cases/${c.id}/repromise-requests`, { proposedAt: 'tomorrow', reason: '' }), ['proposedAt', 'reason']);
      expectProblem(
        await post(`/cases/${c.id}/repromise-requests`, { proposedAt: new Date(Date.now() - 60_000).toISOString(), reason: 'late' }),
        422,
        'INVALID_PROPOSAL',
      );
      expectProblem(await post(`/cases/${c.id}/repromise-requests`, { proposedAt: new Date(Date.now() + 3_600_000).toISOString(), reason: 'x' }, 'viewer'), 403);
      expectProblem(await post(`/cases/${c.id}/repromise-requests`, { proposedAt: new Date(Date.now() + 3_600_000).toISOString(), reason: 'x' }, 'other'), 404);
      const mine = await post(`/cases/${c.id}/repromise-requests`, { proposedAt: new Date(Date.now() + 3_600_000).toISOString(), reason: 'x' });
      expectProblem(await post(`/repromise-requests/${mine.body.id}/decline`, { note: 'peek' }, 'other'), 404, 'REPROMISE_REQUEST_NOT_FOUND');
      await post(`/cases/${c.id}/cancel`, { version: (await get(`/cases/${c.id}`)).body.version, reason: 'Customer withdrew' }, 'dispatcher');
      expectProblem(
        await post(`/cases/${c.id}/repromise-requests`, { proposedAt: new Date(Date.now() + 3_600_000).toISOString(), reason: 'x' }),
        409,
        'CASE_CLOSED',
      );
      expect(await count(t.db.ownerUrl, 'repromise_requests', `case_id = $1`, [c.id])).toBe(1);
    });
  });

  it('a milestone tap resent with its Idempotency-Key (the answer was lost) is recorded once', async () => {
    const c = await newCase('Incubator CO2 drift');
    const tap = () =>
      t
        .http()
        .post(`/api/v1/cases/${c.id}/milestones`)
        .set('Authorization', auth.engineer)
        .set('If-Match', `W/"${c.version}"`)
        .set('Idempotency-Key', 'tap-e2e-arrived-1')
        .send({ kind: 'arrived' });
    const first = await tap();
    expect(first.status).toBe(201);
    const again = await tap();
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.version).toBe(first.body.version);
    expect(await count(t.db.ownerUrl, 'case_milestones', `case_id = $1 AND kind = 'arrived'`, [c.id])).toBe(1);
  });

  describe('attachments', () => {
    it('stores a file sent twice with one Idempotency-Key once (the phone resends a queued photo whose answer was lost)', async () => {
      const c = await newCase('Queued photo');
      const send = () =>
        t.http().post(`/api/v1/cases/${c.id}/attachments?milestone=fixed&fileName=relay.png`).set('Authorization', auth.engineer)
          .set('Content-Type', 'image/png').set('Idempotency-Key', `photo-${c.id}`).send(PNG);
      const first = await send();
      expect(first.status).toBe(201);
      const again = await send();
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.id).toBe(first.body.id);
      expect((await get(`/cases/${c.id}/attachments`)).body.items).toHaveLength(1);
    });

    it('takes photos and PDFs per milestone, lists them to staff and serves them as files that cannot run', async () => {
      const c = await newCase('Analyser display dead');
      const photo = await upload(c.id, JPEG, 'image/jpeg', '?milestone=diagnosed&note=Burnt%20fuse&fileName=fuse.jpg');
      expect(photo.status).toBe(201);
      expect(photo.body).toMatchObject({ caseId: c.id, milestone: 'diagnosed', note: 'Burnt fuse', fileName: 'fuse.jpg', contentType: 'image/jpeg', sizeBytes: JPEG.length });
      for (const [body, type] of [
        [PNG, 'image/png'],
        [PDF, 'application/pdf'],
        [HEIC, 'image/heic'],
      ] as const) {
        expect((await upload(c.id, body, type, '?milestone=fixed')).status).toBe(201);
      }
      const list = await get(`/cases/${c.id}/attachments`, 'viewer');
      expect(list.status).toBe(200);
      expect(list.body.items.map((a: { contentType: string }) => a.contentType)).toEqual(['image/jpeg', 'image/png', 'application/pdf', 'image/heic']);

      const file = await t.http().get(`/api/v1/attachments/${photo.body.id}/content`).set('Authorization', auth.dispatcher).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(file.status).toBe(200);
      expect(file.headers['content-type']).toBe('image/jpeg');
      expect(file.headers['x-content-type-options']).toBe('nosniff');
      expect(file.headers['content-security-policy']).toContain('sandbox');
      expect(file.headers['cache-control']).toBe('no-store');
      expect(Buffer.compare(file.body as Buffer, JPEG)).toBe(0);
    });

    it('takes exactly 10 MB and refuses one byte more with 413 problem+json, storing nothing', async () => {
      const c = await newCase('Freezer alarm');
      const tenMb = Buffer.concat([JPEG.subarray(0, 4), Buffer.alloc(10 * MB - 4, 9)]);
      expect((await upload(c.id, tenMb, 'image/jpeg')).status).toBe(201);
      const tooBig = await upload(c.id, Buffer.concat([tenMb, Buffer.from([0])]), 'image/jpeg');
      expectProblem(tooBig, 413, 'ATTACHMENT_TOO_LARGE');
      expect(tooBig.headers['content-type']).toContain('application/problem+json');
      expect(await count(t.db.ownerUrl, 'case_attachments', `case_id = $1`, [c.id])).toBe(1);
    });

    it('refuses other types, and files that lie about their type, with 415; an empty file with 422', async () => {
      const c = await newCase('Spectrometer lamp');
      expectProblem(await upload(c.id, Buffer.from('#!/bin/sh\nrm -rf /\n'), 'text/plain'), 415, 'ATTACHMENT_UNSUPPORTED_TYPE');
      expectProblem(await upload(c.id, Buffer.from('<svg onload="alert(1)"/>'), 'image/svg+xml'), 415, 'ATTACHMENT_UNSUPPORTED_TYPE');
      expectProblem(await upload(c.id, Buffer.from('MZ\x90\x00 not a photo at all'), 'image/jpeg'), 415, 'ATTACHMENT_UNSUPPORTED_TYPE');
      expectProblem(await upload(c.id, PDF, 'image/png'), 415, 'ATTACHMENT_UNSUPPORTED_TYPE');
      expectProblem(await post(`/cases/${c.id}/attachments`, { photo: 'base64…' }), 415, 'ATTACHMENT_UNSUPPORTED_TYPE');
      expectProblem(await upload(c.id, Buffer.alloc(0), 'image/png'), 422, 'ATTACHMENT_EMPTY');
      expectValidation(await upload(c.id, PNG, 'image/png', '?milestone=teleported'), ['milestone']);
      expectProblem(await upload(c.id, PNG, 'image/png', '', 'viewer'), 403);
      expect(await count(t.db.ownerUrl, 'case_attachments', `case_id = $1`, [c.id])).toBe(0);
    });

    it('another tenant sees none of it: its case, list and file are 404; RLS holds in the database too', async () => {
      const c = await newCase('Shaker noisy');
      const photo = await upload(c.id, PNG, 'image/png');
      expectProblem(await get(`/attachments/${photo.body.id}/content`, 'other'), 404, 'ATTACHMENT_NOT_FOUND');
      expectProblem(await get(`/cases/${c.id}/attachments`, 'other'), 404);
      expectProblem(await upload(c.id, PNG, 'image/png', '', 'other'), 404);
      // The table really holds the row (so the 404 is RLS at work, not an empty table).
      expect(await count(t.db.ownerUrl, 'case_attachments', `id = $1`, [photo.body.id])).toBe(1);
    });

    it('never shows attachments or requests on the customer’s public status page', async () => {
      const c = await newCase('Balance drifts');
      await upload(c.id, PNG, 'image/png', '?note=Secret%20internal%20note');
      const link = await post(`/cases/${c.id}/status-links`, {}, 'engineer');
      expect(link.status).toBe(201);
      const view = await t.http().get(`/api/v1/public/status/${link.body.url.split('/s/')[1]}`);
      expect(view.status).toBe(200);
      expect(JSON.stringify(view.body)).not.toMatch(/attachment|Secret internal note|image\/png/i);
    });
  });
});
