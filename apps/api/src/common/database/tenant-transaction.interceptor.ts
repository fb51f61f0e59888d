import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { Principal } from '../auth/principal';
import { TenantContext } from './tenant-context';

/**
 * Every authenticated request runs in one transaction bound to the caller's tenant: all reads see
 * only that tenant (RLS), and an error anywhere rolls back everything the request did.
 */
@Injectable()
export class TenantTransactionInterceptor implements NestInterceptor {
  constructor(private readonly tenant: TenantContext) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const principal = ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal;
    if (!principal) return next.handle();
    return from(
      this.tenant.run(principal.tenantId, () => lastValueFrom(next.handle(), { defaultValue: undefined })),
    );
  }
}
