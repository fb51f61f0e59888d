import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata, UseInterceptors, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { Principal } from '../auth/principal';
import { TenantContext } from '../database/tenant-context';
import { CommonException, CommonExceptionCode } from '../problem/app.exception';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** How long a key is remembered; an older key counts as unused (and the hourly job deletes it). */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

/** Response headers a replay repeats, so a retried create looks like the first one. */
const REPLAYED_HEADERS = ['etag', 'location'] as const;

const IDEMPOTENT_OPTIONS = Symbol('idempotent-options');

export interface IdempotentOptions {
  /**
   * The response carries a secret shown only once (a status link's token): it is never stored. The key
   * keeps only the created id, and a replay answers 409 naming it instead of the secret.
   */
  secretResponse?: boolean;
}

/**
 * JSON with object keys sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request. Bodies
 * are at most 32 deep (`common/http/input-guard.ts` refuses deeper ones), so recursion is safe.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Honors `Idempotency-Key` on creates. The key is claimed with an INSERT in the request's own
 * transaction, so a concurrent duplicate waits on the unique key and then replays the stored
 * response (with its ETag and Location); a failed request rolls back its claim and may be retried; a
 * key reused with another body — or by another user or API key — answers 422. Keys expire after
 * {@link IDEMPOTENCY_KEY_TTL_HOURS} hours. A response holding a secret is never stored.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly tenant: TenantContext,
    private readonly reflector: Reflector,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const key = req.headers['idempotency-key'];
    if (key === undefined) return next.handle();
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new CommonException(
        CommonExceptionCode.INVALID_IDEMPOTENCY_KEY,
        'Idempotency-Key must be 1–255 visible ASCII characters',
      );
    }
    const options = this.reflector.get<IdempotentOptions | undefined>(IDEMPOTENT_OPTIONS, ctx.getHandler()) ?? {};
    return from(this.handle(key, req, res, next, options));
  }

  private async handle(key: string, req: Request & { principal?: Principal }, res: Response, next: CallHandler, options: IdempotentOptions): Promise<unknown> {
    const em = this.tenant.manager;
    const who = req.principal ? `${req.principal.kind}:${req.principal.id}` : 'anonymous';
    // A capability URL (a status link's token) must not be stored: such routes name their path instead.
    const path = (req as Request & { idempotencyPath?: string }).idempotencyPath ?? `${req.baseUrl}${req.path}`;
    const requestHash = createHash('sha256')
      .update(`${req.method} ${path}\n${who}\n${canonicalJson(req.body ?? null)}`)
      .digest('hex');
    // An expired key is as good as unused.
    await em.query(
      `DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2 AND created_at < now() - make_interval(hours => $3)`,
      [this.tenant.tenantId, key, IDEMPOTENCY_KEY_TTL_HOURS],
    );
    const claimed: unknown[] = await em.query(
      `INSERT INTO idempotency_keys (tenant_id, key, method, path, request_hash)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING key`,
      [this.tenant.tenantId, key, req.method, path, requestHash],
    );
    if (claimed.length === 0) {
      const [stored] = await em.query(
        `SELECT request_hash, response_status, response_body, response_headers FROM idempotency_keys WHERE tenant_id = $1 AND key = $2`,
        [this.tenant.tenantId, key],
      );
      if (stored.request_hash !== requestHash) {
        throw new CommonException(
          CommonExceptionCode.IDEMPOTENCY_KEY_REUSED,
          'This Idempotency-Key was sent before with a different request; use a new key for a new request',
        );
      }
      if (options.secretResponse) {
        const id = (stored.response_body as { id?: string } | null)?.id;
        throw new CommonException(
          CommonExceptionCode.CONFLICT,
          `This request was already carried out${id ? ` (it created ${id})` : ''}; its response held a secret that is shown only once and not kept, so it cannot be replayed. Revoke it and create a new one if the first response was lost.`,
        );
      }
      for (const [name, value] of Object.entries((stored.response_headers ?? {}) as Record<string, string>)) res.setHeader(name, value);
      res.setHeader('Idempotent-Replayed', 'true');
      return stored.response_body;
    }
    const result = await lastValueFrom(next.handle(), { defaultValue: null });
    const headers = Object.fromEntries(
      REPLAYED_HEADERS.flatMap((name) => {
        const value = res.getHeader(name);
        return value === undefined ? [] : [[name, String(value)]];
      }),
    );
    const body = options.secretResponse ? { id: (result as { id?: unknown } | null)?.id ?? null, secretWithheld: true } : result;
    await em.query(
      `UPDATE idempotency_keys SET response_status = $3, response_body = $4, response_headers = $5 WHERE tenant_id = $1 AND key = $2`,
      [this.tenant.tenantId, key, req.method === 'POST' ? 201 : res.statusCode, JSON.stringify(body ?? null), JSON.stringify(headers)],
    );
    return result;
  }
}

/** Marks a create route as idempotent under an `Idempotency-Key` header. */
export const Idempotent = (options: IdempotentOptions = {}) =>
  applyDecorators(
    SetMetadata(IDEMPOTENT_OPTIONS, options),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: options.secretResponse
        ? 'Retry-safe key: the same key never creates twice; as the response holds a one-time secret, a repeat answers 409 instead of replaying it'
        : `Retry-safe key: the same key replays the first response (for ${IDEMPOTENCY_KEY_TTL_HOURS} h)`,
    }),
  );
