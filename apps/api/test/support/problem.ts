import type { Response } from 'supertest';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  traceId: string;
  errors?: { path: string; message: string }[];
}

/**
 * Asserts an RFC 9457 problem+json answer with the given status and code: every field present, the
 * instance is the request path and the traceId is the X-Request-Id the response carries.
 */
export function expectProblem(res: Response, status: number, code?: string): ProblemBody {
  const where = `${res.status} ${JSON.stringify(res.body)}`;
  if (res.status !== status) throw new Error(`expected status ${status}, got ${where}`);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.body as ProblemBody;
  expect(body).toEqual(
    expect.objectContaining({
      type: expect.stringMatching(/^https:\/\/kept\.dev\/problems\/[a-z-]+$/),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      code: expect.stringMatching(/^[A-Z_]+$/),
      instance: expect.stringMatching(/^\/api\//),
      traceId: expect.any(String),
    }),
  );
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.detail.length).toBeGreaterThan(0);
  expect(body.type).toBe(`https://kept.dev/problems/${body.code.toLowerCase().replace(/_/g, '-')}`);
  expect(body.traceId).toBe(res.headers['x-request-id']);
  if (code) expect(body.code).toBe(code);
  return body;
}

/** A 400 validation problem whose `errors[]` names at least the given paths. */
export function expectValidation(res: Response, paths: string[]): ProblemBody {
  const body = expectProblem(res, 400, 'VALIDATION_FAILED');
  expect(Array.isArray(body.errors)).toBe(true);
  for (const e of body.errors ?? []) expect(e).toEqual({ path: expect.any(String), message: expect.any(String) });
  const got = (body.errors ?? []).map((e) => e.path);
  for (const p of paths) {
    if (!got.includes(p)) throw new Error(`expected an error at path "${p}", got ${JSON.stringify(body.errors)}`);
  }
  return body;
}

/** A problem whose errors[] names the given paths (e.g. a 422 from a domain check). */
export function expectErrorPaths(body: ProblemBody, paths: string[]): void {
  const got = (body.errors ?? []).map((e) => e.path);
  for (const p of paths) {
    if (!got.includes(p)) throw new Error(`expected an error at path "${p}", got ${JSON.stringify(body.errors)}`);
  }
}
