import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors, applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { from, lastValueFrom, Observable } from 'rxjs';
import { TenantContext } from '../database/tenant-context';
import { CommonException, CommonExceptionCode } from '../problem/app.exception';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Honors `Idempotency-Key` on creates. The key is claimed with an INSERT in the request's own
 * transaction, so a concurrent duplicate waits on the unique key and then replays the stored
 * response; a failed request rolls back its claim and may be retried; a key reused with another
 * body answers 422.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly tenant: TenantContext) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const key = req.headers['idempotency-key'];
    if (key === undefined) return next.handle();
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new CommonException(
        CommonExceptionCode.INVALID_IDEMPOTENCY_KEY,
        'Idempotency-Key must be 1–255 visible ASCII characters',
      );
    }
    return from(this.handle(key, req, res, next));
  }

  private async handle(key: string, req: Request, res: Response, next: CallHandler): Promise<unknown> {
    const em = this.tenant.manager;
    const requestHash = createHash('sha256')
      .update(`${req.method} ${req.baseUrl}${req.path}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');
    const claimed: unknown[] = await em.query(
      `INSERT INTO idempotency_keys (tenant_id, key, method, path, request_hash)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING key`,
      [this.tenant.tenantId, key, req.method, `${req.baseUrl}${req.path}`, requestHash],
    );
    if (claimed.length === 0) {
      const [stored] = await em.query(
        `SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE tenant_id = $1 AND key = $2`,
        [this.tenant.tenantId, key],
      );
      if (stored.request_hash !== requestHash) {
        throw new CommonException(
          CommonExceptionCode.IDEMPOTENCY_KEY_REUSED,
          'This Idempotency-Key was sent before with a different request; use a new key for a new request',
        );
      }
      res.setHeader('Idempotent-Replayed', 'true');
      return stored.response_body;
    }
    const result = await lastValueFrom(next.handle(), { defaultValue: null });
    await em.query(
      `UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE tenant_id = $1 AND key = $2`,
      [this.tenant.tenantId, key, req.method === "POST" ? 201 : res.statusCode, JSON.stringify(result ?? null)],
    );
    return result;
  }
}

/** Marks a create route as idempotent under an `Idempotency-Key` header. */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe key: the same key replays the first response' }),
  );
