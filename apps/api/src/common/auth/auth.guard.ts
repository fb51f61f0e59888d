import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import type { Role } from '@kept/contracts';
import { DataSource } from 'typeorm';
import { CommonException, CommonExceptionCode } from '../problem/app.exception';
import { IS_PUBLIC, QUERY_TOKEN, ROLES } from './auth.decorators';
import type { AccessTokenClaims, Principal } from './principal';

export const API_KEY_PREFIX = 'kept_';

export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Global guard: a Bearer JWT (users) or an API key (`kept_<prefix>_<secret>`, in Authorization or
 * X-API-Key) is required everywhere except @Public routes; @Roles narrows who may call.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const principal = await this.authenticate(req, this.reflector.getAllAndOverride<boolean>(QUERY_TOKEN, targets) ?? false);
    req.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new CommonException(
        CommonExceptionCode.FORBIDDEN,
        `This action needs one of the roles: ${roles.join(', ')}; you are ${principal.role}`,
      );
    }
    return true;
  }

  private async authenticate(req: Request, allowQueryToken: boolean): Promise<Principal> {
    const header = req.headers.authorization;
    const apiKeyHeader = req.headers['x-api-key'];
    const queryToken = allowQueryToken ? req.query?.access_token : undefined;
    let credential: string | undefined;
    if (typeof header === 'string' && /^Bearer\s+/i.test(header)) credential = header.replace(/^Bearer\s+/i, '').trim();
    else if (typeof apiKeyHeader === 'string') credential = apiKeyHeader.trim();
    else if (typeof queryToken === 'string' && queryToken) credential = queryToken.trim();
    if (!credential) {
      throw new CommonException(CommonExceptionCode.UNAUTHENTICATED, 'Send a Bearer token or an API key');
    }
    return credential.startsWith(API_KEY_PREFIX) ? this.fromApiKey(credential) : this.fromJwt(credential);
  }

  private async fromJwt(token: string): Promise<Principal> {
    try {
      const claims = await this.jwt.verifyAsync<AccessTokenClaims & { exp: number }>(token);
      // A token without a session version predates revocable sessions: it cannot be checked, so it is refused.
      if (!Number.isInteger(claims.sv)) throw new Error('no session version');
      return {
        kind: 'user',
        id: claims.sub,
        tenantId: claims.tid,
        role: claims.role,
        name: claims.name,
        sessionVersion: claims.sv,
        expiresAt: claims.exp * 1000,
      };
    } catch {
      throw new CommonException(CommonExceptionCode.UNAUTHENTICATED, 'The access token is invalid or expired');
    }
  }

  private async fromApiKey(key: string): Promise<Principal> {
    const invalid = new CommonException(CommonExceptionCode.UNAUTHENTICATED, 'The API key is invalid or revoked');
    const match = /^kept_([a-z0-9]{12})_([A-Za-z0-9_-]{32,})$/.exec(key);
    if (!match) throw invalid;
    const [, prefix, secret] = match;
    const rows: { key_id: string; tenant_id: string; key_hash: string; role: Role; name: string; revoked: boolean }[] =
      await this.dataSource.query('SELECT * FROM kept_find_api_key($1)', [prefix]);
    const row = rows[0];
    if (!row || row.revoked) throw invalid;
    const expected = Buffer.from(row.key_hash, 'hex');
    const actual = Buffer.from(hashApiKeySecret(secret), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw invalid;
    return { kind: 'api_key', id: row.key_id, tenantId: row.tenant_id, role: row.role, name: row.name };
  }
}
