import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { CommonException, CommonExceptionCode, type FieldError } from '../problem/app.exception';

/** Deepest JSON nesting a request body may have; Kept's deepest request shape is 4 levels. */
export const MAX_BODY_DEPTH = 32;

const NUL_MESSAGE = 'must not contain a NUL (U+0000) character';

/**
 * Refuses at the edge what the rest of the stack cannot take, before any handler, interceptor or query
 * runs (so nothing changes):
 * - a NUL character (U+0000) anywhere in the path, the query or a body string or key — PostgreSQL text
 *   cannot store it and would answer 500 (400 VALIDATION_FAILED, naming where);
 * - a body nested deeper than {@link MAX_BODY_DEPTH} — recursive code later on (the idempotency
 *   fingerprint, validation, logging) would overflow the stack (400 MALFORMED_REQUEST).
 * The walk is iterative, so a hostile body cannot overflow the stack here either.
 */
export function inputGuard(): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const [path, search = ''] = (req.originalUrl ?? req.url).split('?', 2);
    if (/%00/i.test(path)) return next(validation([{ path: '(path)', message: NUL_MESSAGE }]));
    if (/%00/i.test(search)) return next(validation([{ path: '(query)', message: NUL_MESSAGE }]));
    const query = findProblem(req.query, '(query)');
    if (query) return next(query);
    const body = findProblem(req.body, '');
    if (body) return next(body);
    next();
  };
}

function validation(errors: FieldError[]): CommonException {
  return new CommonException(CommonExceptionCode.VALIDATION_FAILED, 'One or more fields are invalid', errors);
}

function findProblem(root: unknown, rootPath: string): CommonException | null {
  if (root === null || typeof root !== 'object') {
    return typeof root === 'string' && root.includes('\0') ? validation([{ path: rootPath || '(body)', message: NUL_MESSAGE }]) : null;
  }
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: rootPath, depth: 1 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (depth > MAX_BODY_DEPTH) {
      return new CommonException(CommonExceptionCode.MALFORMED_REQUEST, `The request is nested deeper than ${MAX_BODY_DEPTH} levels`);
    }
    for (const [key, child] of Object.entries(value as object)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\0')) return validation([{ path: path || '(body)', message: `a key ${NUL_MESSAGE}` }]);
      if (typeof child === 'string') {
        if (child.includes('\0')) return validation([{ path: childPath.replace(/\0/g, ''), message: NUL_MESSAGE }]);
      } else if (child !== null && typeof child === 'object') {
        stack.push({ value: child, path: childPath, depth: depth + 1 });
      }
    }
  }
  return null;
}
