/**
 * Finishes the OpenAPI document Nest generates into a valid OpenAPI 3.1 document for clients
 * (`redocly lint` passes with zero errors, see apps/api/test/openapi.e2e-spec.ts):
 * - declares 3.1.0 and rewrites the 3.0-only schema keywords (`nullable`, boolean `exclusiveMinimum`);
 * - gives every operation its hand-written summary (openapi-summaries.ts), its security (bearer token or API key; `[]` on public routes, marked
 *   by `@Public()`), and its problem+json error responses (RFC 9457, `#/components/schemas/Problem`);
 * - names the server.
 */

import { OPERATION_SUMMARIES } from './openapi-summaries';

type Json = Record<string, unknown>;

export const PUBLIC_OPERATION = 'x-kept-public';

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'An RFC 9457 problem: every error the API answers has this shape.',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string', format: 'uri', examples: ['https://kept.dev/problems/validation-failed'] },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string', pattern: '^[A-Z_]+$', description: 'A stable machine-readable code, e.g. VALIDATION_FAILED' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
    traceId: { type: 'string', description: 'Also in the X-Request-Id header; quote it when reporting a problem' },
  },
};

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'The request is not valid (malformed, a NUL character, nested too deep, or fails validation)',
  '401': 'Authentication required',
  '403': 'Not allowed for your role',
  '404': 'Not found',
  '409': 'Conflicts with the current state',
  '412': 'The resource has changed since you read it (If-Match)',
  '413': 'The request body is too large',
  '422': 'The request cannot be processed',
  '428': 'The current version is required (If-Match)',
  '429': 'Too many requests; see Retry-After',
  '500': 'Internal server error (the detail is hidden; quote the traceId)',
};

const METHOD_VERBS: Record<string, string> = { get: 'Get', post: 'Create', put: 'Replace', patch: 'Update', delete: 'Delete' };

/** Rewrites 3.0 schema keywords into their 3.1 (JSON Schema 2020-12) forms, in place, everywhere. */
function toJsonSchema2020(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(toJsonSchema2020);
  if (!node || typeof node !== 'object') return;
  const s = node as Json;
  for (const value of Object.values(s)) toJsonSchema2020(value);
  if (s.nullable === true) {
    delete s.nullable;
    if (typeof s.type === 'string') s.type = [s.type, 'null'];
    else if (Array.isArray(s.type)) s.type = [...new Set([...(s.type as string[]), 'null'])];
    else if (Array.isArray(s.anyOf)) s.anyOf = [...(s.anyOf as unknown[]), { type: 'null' }];
    else if (s.$ref || s.allOf || s.oneOf) {
      const copy = { ...s };
      for (const k of Object.keys(s)) delete s[k];
      s.anyOf = [copy, { type: 'null' }];
    }
  } else if (s.nullable === false) {
    delete s.nullable;
  }
  for (const [bound, exclusive] of [
    ['minimum', 'exclusiveMinimum'],
    ['maximum', 'exclusiveMaximum'],
  ] as const) {
    if (s[exclusive] === true) {
      s[exclusive] = s[bound];
      delete s[bound];
    } else if (s[exclusive] === false) {
      delete s[exclusive];
    }
  }
  if ('example' in s && !('examples' in s) && typeof s.type !== 'undefined') {
    s.examples = [s.example];
    delete s.example;
  }
}

export function finishOpenApiDocument<T extends object>(input: T, options: { serverUrl: string }): T {
  const doc = input as unknown as Json & { paths: Record<string, Record<string, Json>>; components: Json & { schemas?: Json; securitySchemes?: Json } };
  doc.openapi = '3.1.0';
  doc.servers = [{ url: options.serverUrl, description: 'This Kept server' }];
  doc.components ??= {};
  doc.components.schemas = { ...(doc.components.schemas ?? {}), Problem: PROBLEM_SCHEMA };
  doc.components.responses = Object.fromEntries(
    Object.entries(ERROR_RESPONSES).map(([status, description]) => [
      `Problem${status}`,
      { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    ]),
  );

  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!METHOD_VERBS[method]) continue;
      const isPublic = op[PUBLIC_OPERATION] === true;
      delete op[PUBLIC_OPERATION];
      // Hand-written only: @ApiOperation on the handler, else OPERATION_SUMMARIES (none derived, see there).
      if ((typeof op.summary !== 'string' || !op.summary) && typeof op.operationId === 'string' && OPERATION_SUMMARIES[op.operationId]) {
        op.summary = OPERATION_SUMMARIES[op.operationId];
      }
      op.security = isPublic ? [] : [{ bearer: [] }, { 'api-key': [] }];
      const params = (op.parameters ?? []) as { in?: string; name?: string }[];
      const errors = ['400', '500'];
      if (!isPublic) errors.push('401', '403');
      if (path.includes('{')) errors.push('404');
      if (op.requestBody) errors.push('413', '422');
      // Every public POST (log-in, refresh, set-password, sign-up, …) and the status links are rate limited; streams are capped.
      const throttled = (isPublic && method === 'post') || path.includes('/public/') || path.endsWith('/events');
      if (method === 'post' && !path.includes('{') && !isPublic) errors.push('409');
      if (params.some((p) => p.in === 'header' && p.name === 'If-Match') || method === 'patch' || method === 'put') errors.push('409', '412', '428');
      if (throttled) errors.push('429');
      const responses = (op.responses ??= {}) as Json;
      for (const status of [...new Set(errors)].sort()) responses[status] ??= { $ref: `#/components/responses/Problem${status}` };
    }
  }
  toJsonSchema2020(doc.components.schemas);
  toJsonSchema2020(doc.paths);
  return input;
}
