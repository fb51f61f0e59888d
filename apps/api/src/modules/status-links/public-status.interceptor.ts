import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { DataSource } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { TenantContext } from '../../common/database/tenant-context';
import { PgThrottlerStorage } from '../../common/http/pg-throttler.storage';
import { customerPrincipal, CustomerStatusService } from './customer-status.service';
import type { LinkScope } from './customer-status.repository';
import { StatusLinkException, StatusLinkExceptionCode } from './status-link.exception';

/**
 * Per client address (X-Forwarded-For only from TRUST_PROXY): 30 look-ups a minute, then blocked for the
 * rest of a minute. Counted in PostgreSQL, so every API process shares the counters.
 */
export const PUBLIC_STATUS_BURST = 30;
/** The customer's actions (answers, confirmation, survey) have their own, smaller budget per address. */
export const PUBLIC_ACTION_BURST = 20;
const WINDOW_MS = 60_000;

export type ScopedRequest = Request & { principal?: Principal; statusScope?: LinkScope; idempotencyPath?: string };

/**
 * The public status routes (`/public/status/:token[/action]`): no log-in; the token is the capability.
 * Sets the no-index/no-referrer/no-store headers (errors carry them too), rate limits per address,
 * resolves the link (unknown, revoked and expired links all answer the same 404) and runs the handler in
 * the link's tenant transaction as the `customer` principal, so the Idempotency-Key, the row-level
 * security and the ledger work as for staff requests. The token itself never reaches the idempotency
 * table: the key's path names the link's id instead.
 */
@Injectable()
export class PublicStatusInterceptor implements NestInterceptor {
  private readonly limiter: PgThrottlerStorage;

  constructor(
    private readonly service: CustomerStatusService,
    private readonly tenant: TenantContext,
    @InjectDataSource() dataSource: DataSource,
  ) {
    this.limiter = new PgThrottlerStorage(dataSource);
  }

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return from(this.run(ctx, next));
  }

  private async run(ctx: ExecutionContext, next: CallHandler): Promise<unknown> {
    const req = ctx.switchToHttp().getRequest<ScopedRequest>();
    const res = ctx.switchToHttp().getResponse<Response>();
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    const isView = req.method === 'GET';
    const client = createHash('sha256').update(req.ip ?? req.socket.remoteAddress ?? 'unknown').digest('hex');
    const hit = isView
      ? await this.limiter.increment(client, WINDOW_MS, PUBLIC_STATUS_BURST, WINDOW_MS, 'public-status')
      : await this.limiter.increment(client, WINDOW_MS, PUBLIC_ACTION_BURST, WINDOW_MS, 'public-status-action');
    const wait = hit.isBlocked ? Math.max(1, hit.timeToBlockExpire) : 0;
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      throw new StatusLinkException(
        StatusLinkExceptionCode.STATUS_LINK_RATE_LIMITED,
        `Too many status ${isView ? 'look-ups' : 'actions'}; try again in ${wait} s`,
      );
    }
    const token = String((req.params as Record<string, string>).token ?? '');
    const scope = await this.service.scope(token, isView);
    req.statusScope = scope;
    req.principal = customerPrincipal(scope);
    const action = req.path.split('/').filter(Boolean).pop();
    req.idempotencyPath = `/api/v1/public/status/link:${scope.link_id}/${isView ? '' : action}`;
    return this.tenant.run(scope.tenant_id, () => lastValueFrom(next.handle(), { defaultValue: undefined }));
  }
}
