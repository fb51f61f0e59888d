import type { Request, Response } from 'express';
import { CommonException } from '../problem/app.exception';
import { assertVersion, expectedVersion, setEtag } from './concurrency';

const req = (ifMatch?: string) => ({ headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } }) as unknown as Request;

function thrown(fn: () => unknown): CommonException {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CommonException);
    return err as CommonException;
  }
  throw new Error('expected an exception');
}

describe('expectedVersion', () => {
  it.each([
    ['W/"3"', 3],
    ['"3"', 3],
    ['3', 3],
    ['  W/"12"  ', 12],
    ['W/"0"', 0],
  ])('reads If-Match %j as version %d', (header, version) => {
    expect(expectedVersion(req(header), undefined)).toEqual({ version, source: 'if-match' });
  });

  it('reads the body version when there is no If-Match', () => {
    expect(expectedVersion(req(), 3)).toEqual({ version: 3, source: 'body' });
    expect(expectedVersion(req(''), 4)).toEqual({ version: 4, source: 'body' });
    expect(expectedVersion(req('   '), 5)).toEqual({ version: 5, source: 'body' });
  });

  it('prefers If-Match over the body version', () => {
    expect(expectedVersion(req('W/"7"'), 3)).toEqual({ version: 7, source: 'if-match' });
  });

  // 'W/"3", W/"4"' is what Node makes of a repeated If-Match header.
  it.each(['garbage', 'W/"abc"', '"3.5"', '-1', 'W/"3", W/"4"', '*', 'W/""', 'W/ "3"'])('answers 412 for If-Match %j', (header) => {
    const e = thrown(() => expectedVersion(req(header), 3));
    expect(e.status).toBe(412);
    expect(e.code).toBe('PRECONDITION_FAILED');
    expect(e.message).toContain(header);
  });

  it('answers 428 when neither If-Match nor a version is sent', () => {
    const e = thrown(() => expectedVersion(req(), undefined));
    expect(e.status).toBe(428);
    expect(e.code).toBe('PRECONDITION_REQUIRED');
    expect(e.message).toMatch(/If-Match/);
    expect(thrown(() => expectedVersion(req(''), undefined)).status).toBe(428);
  });
});

describe('assertVersion', () => {
  it('accepts the current version', () => {
    expect(() => assertVersion({ version: 3, source: 'if-match' }, 3)).not.toThrow();
    expect(() => assertVersion({ version: 3, source: 'body' }, 3)).not.toThrow();
  });

  it('answers 412 for a stale If-Match', () => {
    const e = thrown(() => assertVersion({ version: 2, source: 'if-match' }, 3));
    expect(e.status).toBe(412);
    expect(e.code).toBe('PRECONDITION_FAILED');
    expect(e.message).toBe('You sent version 2 but the current version is 3; reload and try again');
  });

  it('answers 409 for a stale body version (older or newer)', () => {
    for (const sent of [2, 4]) {
      const e = thrown(() => assertVersion({ version: sent, source: 'body' }, 3));
      expect(e.status).toBe(409);
      expect(e.code).toBe('VERSION_CONFLICT');
      expect(e.message).toContain(`version ${sent}`);
    }
  });
});

describe('setEtag', () => {
  it('writes a weak ETag with the version', () => {
    const headers: Record<string, string> = {};
    const res = { setHeader: (k: string, v: string) => (headers[k] = v) } as unknown as Response;
    setEtag(res, 5);
    expect(headers).toEqual({ ETag: 'W/"5"' });
  });

  it('round-trips: the ETag it writes is accepted as If-Match', () => {
    const headers: Record<string, string> = {};
    setEtag({ setHeader: (k: string, v: string) => (headers[k] = v) } as unknown as Response, 41);
    expect(expectedVersion(req(headers.ETag), undefined)).toEqual({ version: 41, source: 'if-match' });
  });
});
