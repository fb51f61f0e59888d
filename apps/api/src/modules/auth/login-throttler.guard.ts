import { applyDecorators, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { SkipThrottle, ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerOptions } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { CommonException, CommonExceptionCode } from '../../common/problem/app.exception';
import type { AppConfig } from '../../config/config';
import { PgThrottlerStorage } from '../../common/http/pg-throttler.storage';

/** The account a log-in attempt is for: its e-mail, case- and space-insensitive. */
const accountOf = (req: Record<string, unknown>): string => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : '';
};

/**
 * The two log-in throttlers: by account (slows guessing one user's password from many addresses) and by
 * client address (slows one address trying many accounts). Counted in PostgreSQL, shared by all processes.
 */
export function loginThrottlerOptions(config: AppConfig, dataSource: DataSource) {
  const { perAccount, perClient, windowSeconds } = config.loginThrottle;
  const ttl = windowSeconds * 1000;
  const throttlers: ThrottlerOptions[] = [
    { name: 'account', limit: perAccount, ttl, blockDuration: ttl, getTracker: (req) => `account:${accountOf(req)}` },
    // req.ip honours X-Forwarded-For only from the proxies Express trusts (see create-app.ts).
    { name: 'client', limit: perClient, ttl, blockDuration: ttl, getTracker: (req) => `client:${String((req as Request).ip)}` },
  ];
  return { throttlers, storage: new PgThrottlerStorage(dataSource) };
}

/**
 * Throttles the unauthenticated auth routes; over the limit it answers 429 problem+json with `Retry-After`.
 * Every throttler applies unless the route skips it: log-in counts by account and by client; the other
 * public POSTs (`ClientThrottle`: refresh, log-out, set-password, verify-email) by client, sign-up by both.
 * The library keys each counter by route, so every route has its own budget.
 */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const http = context.switchToHttp();
    const res = http.getResponse<Response>();
    const what = http.getRequest<Request>().path.endsWith('/login') ? 'log-in attempts' : 'requests';
    const seconds = Math.max(1, detail.timeToBlockExpire);
    res.setHeader('Retry-After', String(seconds));
    throw new CommonException(CommonExceptionCode.TOO_MANY_REQUESTS, `Too many ${what}; try again in ${seconds} s`);
  }
}

/** A public route throttled per client address only (it names no account). */
export const ClientThrottle = () => applyDecorators(SkipThrottle({ account: true }), UseGuards(LoginThrottlerGuard));

/** A public route throttled per account (the body's `email`) and per client address. */
export const AccountThrottle = () => UseGuards(LoginThrottlerGuard);
