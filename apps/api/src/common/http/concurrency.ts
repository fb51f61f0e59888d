import type { Request, Response } from 'express';
import { CommonException, CommonExceptionCode } from '../problem/app.exception';

export interface ExpectedVersion {
  version: number;
  source: 'if-match' | 'body';
}

/** The version the client last read: from `If-Match: W/"7"` or a `version` field; 428 when neither. */
export function expectedVersion(req: Request, bodyVersion: number | undefined): ExpectedVersion {
  const header = req.headers['if-match'];
  if (typeof header === 'string' && header.trim() !== '') {
    const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
    if (!match) {
      throw new CommonException(CommonExceptionCode.PRECONDITION_FAILED, `If-Match ${header} is not a version of this resource`);
    }
    return { version: Number(match[1]), source: 'if-match' };
  }
  if (bodyVersion !== undefined) return { version: bodyVersion, source: 'body' };
  throw new CommonException(
    CommonExceptionCode.PRECONDITION_REQUIRED,
    'Send the version you last read, as If-Match: W/"<version>" or a "version" field',
  );
}

/** 412 for a stale If-Match, 409 for a stale version field; nothing is changed either way. */
export function assertVersion(expected: ExpectedVersion, current: number): void {
  if (expected.version === current) return;
  const detail = `You sent version ${expected.version} but the current version is ${current}; reload and try again`;
  throw new CommonException(
    expected.source === 'if-match' ? CommonExceptionCode.PRECONDITION_FAILED : CommonExceptionCode.VERSION_CONFLICT,
    detail,
  );
}

export function setEtag(res: Response, version: number): void {
  res.setHeader('ETag', `W/"${version}"`);
}

/** Sets the body's version as its ETag and passes the body through. */
export function withEtag<T extends { version: number }>(res: Response, body: T): T {
  setEtag(res, body.version);
  return body;
}
