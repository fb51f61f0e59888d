import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ChangePasswordRequest, LoginResponse } from '@kept/contracts';
import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { hashPassword } from '../../common/auth/password';
import { assertPasswordPolicy } from '../../common/auth/password-policy';
import type { AccessTokenClaims, Principal } from '../../common/auth/principal';
import { TenantContext } from '../../common/database/tenant-context';
import { CommonException, CommonExceptionCode } from '../../common/problem/app.exception';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { EventPublisher } from '../events';
import { toUserResponse, UserEntity } from '../users';
import { OrganizationEntity } from './organization.entity';

/** A refresh token used again this soon after its rotation is a race between two tabs, not a theft. */
const REUSE_GRACE_SECONDS = 10;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** What a log-in, refresh or set-password hands back: the response body and the new refresh token (for the cookie). */
export interface IssuedSession {
  body: LoginResponse;
  refreshToken: string;
}

const unauthenticated = (detail: string) => new CommonException(CommonExceptionCode.UNAUTHENTICATED, detail);

/**
 * Sessions: short-lived access tokens carrying the user's session version, and rotating refresh tokens
 * stored hashed in families (one per log-in). Using a rotated refresh token again revokes its whole
 * family: whoever stole it, and the victim, must sign in again.
 */
@Injectable()
export class SessionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly tenant: TenantContext,
    private readonly events: EventPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Signs an access token and a refresh token (a new family unless given) for a user; inside a tenant transaction. */
  async issue(userId: string, familyId: string = randomUUID()): Promise<IssuedSession> {
    const em = this.tenant.manager;
    const user = await em.findOneByOrFail(UserEntity, { id: userId });
    const org = await em.findOneByOrFail(OrganizationEntity, { id: user.tenantId });
    const claims: AccessTokenClaims = { sub: user.id, tid: user.tenantId, role: user.role, name: user.name, sv: user.sessionVersion };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.accessTokenTtlSeconds });
    const refreshToken = randomBytes(32).toString('base64url');
    await em.query(
      `INSERT INTO refresh_tokens (tenant_id, user_id, family_id, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
      [user.tenantId, user.id, familyId, hashToken(refreshToken), this.config.refreshTokenTtlSeconds],
    );
    return {
      refreshToken,
      body: {
        accessToken,
        tokenType: 'Bearer' as const,
        expiresIn: this.config.accessTokenTtlSeconds,
        user: toUserResponse(user),
        organization: { id: org.id, name: org.name },
      },
    };
  }

  /** Exchanges a refresh token for a new access token and a new refresh token of the same family. */
  async refresh(token: string | undefined): Promise<IssuedSession> {
    if (!token) throw unauthenticated('No refresh token: sign in');
    const hash = hashToken(token);
    const [found]: { tenant_id: string }[] = await this.dataSource.query('SELECT tenant_id FROM kept_find_refresh_token($1)', [hash]);
    if (!found) throw unauthenticated('The refresh token is not valid: sign in');
    // The outcome is decided and committed first (a reuse revokes the family even though the answer is 401).
    const outcome = await this.tenant.run(found.tenant_id, async (): Promise<IssuedSession | string> => {
      const em = this.tenant.manager;
      const [t]: { id: string; user_id: string; family_id: string; state: 'live' | 'expired' | 'revoked' | 'raced' | 'reused' }[] = await em.query(
        `SELECT id, user_id, family_id,
                CASE WHEN revoked_at IS NOT NULL THEN 'revoked'
                     WHEN used_at IS NOT NULL AND used_at > now() - make_interval(secs => $2) THEN 'raced'
                     WHEN used_at IS NOT NULL THEN 'reused'
                     WHEN expires_at <= now() THEN 'expired'
                     ELSE 'live' END AS state
           FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
        [hash, REUSE_GRACE_SECONDS],
      );
      if (!t) return 'The refresh token is not valid: sign in';
      if (t.state === 'reused') {
        await em.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`, [t.family_id]);
        return 'The refresh token was already used: every session of this log-in has been ended; sign in again';
      }
      if (t.state === 'raced') return 'The refresh token was just rotated by another tab: retry with the new one';
      if (t.state !== 'live') return `The refresh token is ${t.state}: sign in`;
      await em.query(`UPDATE refresh_tokens SET used_at = now() WHERE id = $1`, [t.id]);
      const user = await em.findOneBy(UserEntity, { id: t.user_id });
      if (!user?.active) return 'The account is deactivated';
      return this.issue(user.id, t.family_id);
    });
    if (typeof outcome === 'string') throw unauthenticated(outcome);
    return outcome;
  }

  /** Ends the log-in the refresh token belongs to (this browser); other devices stay signed in. */
  async logout(token: string | undefined): Promise<void> {
    if (!token) return;
    const hash = hashToken(token);
    const [found]: { tenant_id: string }[] = await this.dataSource.query('SELECT tenant_id FROM kept_find_refresh_token($1)', [hash]);
    if (!found) return;
    await this.tenant.run(found.tenant_id, async () => {
      await this.tenant.manager.query(
        `UPDATE refresh_tokens SET revoked_at = now()
          WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1) AND revoked_at IS NULL`,
        [hash],
      );
    });
  }

  /** "Log out everywhere": every access token, refresh token and event stream of the user ends now. */
  async logoutEverywhere(principal: Principal): Promise<void> {
    if (principal.kind !== 'user') throw new CommonException(CommonExceptionCode.FORBIDDEN, 'Only a signed-in user has sessions to end');
    const em = this.tenant.manager;
    const [[row]]: [{ session_version: number }[]] = await em.query(
      `UPDATE users SET session_version = session_version + 1 WHERE id = $1 RETURNING session_version`,
      [principal.id],
    );
    await em.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [principal.id]);
    await this.events.publishSessionEnded(principal.id, row.session_version);
  }

  /**
   * Changes one's own password. Every other session ends (the trigger bumps the session version and
   * revokes the refresh tokens); this client gets a fresh session.
   */
  async changePassword(principal: Principal, input: ChangePasswordRequest): Promise<IssuedSession> {
    if (principal.kind !== 'user') throw new CommonException(CommonExceptionCode.FORBIDDEN, 'Only a signed-in user has a password');
    const em = this.tenant.manager;
    const [row]: { password_hash: string | null; email: string }[] = await em.query(
      `SELECT password_hash, email FROM users WHERE id = $1 FOR UPDATE`,
      [principal.id],
    );
    if (!row?.password_hash || !(await argon2.verify(row.password_hash, input.currentPassword))) {
      throw new CommonException(CommonExceptionCode.FORBIDDEN, 'The current password is wrong', [
        { path: 'currentPassword', message: 'wrong password' },
      ]);
    }
    assertPasswordPolicy(input.newPassword, row.email, 'newPassword');
    const [[updated]]: [{ session_version: number }[]] = await em.query(
      `UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING session_version`,
      [principal.id, await hashPassword(input.newPassword)],
    );
    await this.events.publishSessionEnded(principal.id, updated.session_version);
    return this.issue(principal.id);
  }
}
