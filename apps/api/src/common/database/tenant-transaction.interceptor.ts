import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, lastValueFrom, Observable } from 'rxjs';
import { NO_TRANSACTION } from '../auth/auth.decorators';
import { Principal, sessionCheckOf } from '../auth/principal';
import { TenantContext } from './tenant-context';

/**
 * Every authenticated request runs in one transaction bound to the caller's tenant: all reads see
 * only that tenant (RLS), and an error anywhere rolls back everything the request did.
 */
@Injectable()
export class TenantTransactionInterceptor implements NestInterceptor {
  constructor(
    private readonly tenant: TenantContext,
    private readonly reflector: Reflector,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const principal = ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal;
    if (!principal) return next.handle();
    if (this.reflector.getAllAndOverride<boolean>(NO_TRANSACTION, [ctx.getHandler(), ctx.getClass()])) return next.handle();
    return from(
      this.tenant.run(principal.tenantId, () => lastValueFrom(next.handle(), { defaultValue: undefined }), sessionCheckOf(principal)),
    );
  }
}
