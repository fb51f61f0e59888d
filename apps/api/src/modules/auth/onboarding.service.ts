import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CreateInvitationRequest, InvitationResponse, SetPasswordRequest } from '@kept/contracts';
import { DataSource } from 'typeorm';
import { hashPassword } from '../../common/auth/password';
import type { Principal } from '../../common/auth/principal';
import { userIdOf } from '../../common/auth/principal';
import { TenantContext } from '../../common/database/tenant-context';
import { CommonException, CommonExceptionCode } from '../../common/problem/app.exception';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { toUserResponse, UserEntity } from '../users';
import { hashToken, IssuedSession, SessionService } from './session.service';
import { InvitationMailer } from './invitation-mailer';

/** The web app's page that redeems a one-time link; the token travels in the fragment (never sent to a server or a Referer). */
export const setPasswordLink = (publicUrl: string, token: string) => `${publicUrl.replace(/\/$/, '')}/set-password#token=${token}`;

const invalidLink = () =>
  new CommonException(CommonExceptionCode.UNAUTHENTICATED, 'The link is unknown, has expired or was already used; ask an administrator for a new one');

/**
 * Onboarding of users: an admin invites by e-mail (a user without a password plus a one-time link
 * that expires), and the invitee chooses a password on the web app's set-password page. `kept tenant
 * create` makes the same kind of link for a new organization's first admin.
 */
@Injectable()
export class OnboardingService {
  private readonly log = new Logger(OnboardingService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenant: TenantContext,
    private readonly sessions: SessionService,
    private readonly mailer: InvitationMailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async invite(input: CreateInvitationRequest, principal: Principal): Promise<InvitationResponse> {
    const em = this.tenant.manager;
    const [taken] = await em.query('SELECT 1 FROM kept_find_login($1)', [input.email]);
    if (taken) throw new CommonException(CommonExceptionCode.CONFLICT, `A user with e-mail ${input.email} already exists`);
    const saved = await em.save(
      em.create(UserEntity, {
        tenantId: principal.tenantId,
        email: input.email.toLowerCase(),
        name: input.name,
        role: input.role,
        passwordHash: null,
        active: true,
        team: input.team ?? null,
      }),
    );
    const token = randomBytes(32).toString('base64url');
    const [row]: { expires_at: Date }[] = await em.query(
      `INSERT INTO user_tokens (tenant_id, user_id, purpose, token_hash, created_by, expires_at)
       VALUES ($1, $2, 'set_password', $3, $4, now() + make_interval(hours => $5)) RETURNING expires_at`,
      [principal.tenantId, saved.id, hashToken(token), userIdOf(principal), this.config.invitationTtlHours],
    );
    const user = await em.findOneByOrFail(UserEntity, { id: saved.id });
    const link = setPasswordLink(this.config.worker.publicUrl, token);
    const emailed = await this.mailer
      .sendInvitation(user.email, user.name, principal.name, link)
      .catch((err: Error) => {
        this.log.warn(`the invitation e-mail could not be sent: ${err.message}`);
        return false;
      });
    return { user: toUserResponse(user), link, expiresAt: new Date(row.expires_at).toISOString(), emailed };
  }

  /** Redeems a one-time link: sets the password of a user who has none yet and signs them in. */
  async setPassword(input: SetPasswordRequest): Promise<IssuedSession> {
    const hash = hashToken(input.token);
    const [found]: { tenant_id: string }[] = await this.dataSource.query('SELECT tenant_id FROM kept_find_user_token($1)', [hash]);
    if (!found) throw invalidLink();
    const passwordHash = await hashPassword(input.password);
    return this.tenant.run(found.tenant_id, async () => {
      const em = this.tenant.manager;
      const [[t]]: [{ user_id: string }[]] = await em.query(
        `UPDATE user_tokens SET used_at = now()
          WHERE token_hash = $1 AND purpose = 'set_password' AND used_at IS NULL AND expires_at > now()
          RETURNING user_id`,
        [hash],
      );
      if (!t) throw invalidLink();
      // Only a user who never had a password, and was not deactivated meanwhile, can be given one this way.
      const [, changed]: [unknown, number] = await em.query(
        `UPDATE users SET password_hash = $2 WHERE id = $1 AND password_hash IS NULL AND active`,
        [t.user_id, passwordHash],
      );
      if (!changed) throw invalidLink();
      return this.sessions.issue(t.user_id);
    });
  }
}
