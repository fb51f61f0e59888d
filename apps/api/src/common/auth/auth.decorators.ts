import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Role } from '@kept/contracts';
import type { Principal } from './principal';

export const IS_PUBLIC = 'kept:isPublic';
export const QUERY_TOKEN = 'kept:queryToken';
export const NO_TRANSACTION = 'kept:noTransaction';
export const ROLES = 'kept:roles';

/**
 * The route needs no credentials (log-in, health). Every other route answers 401 without them. The
 * OpenAPI document marks it `security: []` (the extension is consumed by common/http/openapi.ts).
 */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension('x-kept-public', true));

/**
 * The route also accepts the access token as `?access_token=` (EventSource cannot send headers).
 * Only for long-lived read-only streams: query strings end up in logs, so tokens are redacted there.
 */
export const AllowQueryToken = () => SetMetadata(QUERY_TOKEN, true);

/** The route manages its own database access (a long-lived stream must not hold a transaction open). */
export const NoTransaction = () => SetMetadata(NO_TRANSACTION, true);

/** Only these roles may call the route (403 otherwise). Without it any authenticated role may. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/** Roles that may change cases and reference data. */
export const STAFF: Role[] = ['admin', 'manager', 'dispatcher'];
/** Roles that may record work on a case (milestones, fixed). */
export const FIELD: Role[] = ['admin', 'manager', 'dispatcher', 'engineer'];
export const MANAGERS: Role[] = ['admin', 'manager'];

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ principal: Principal }>().principal;
});
