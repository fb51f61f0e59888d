import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CreateInvitationRequest, InvitationResponse, PendingInvitationResponse, SetPasswordRequest } from '@kept/contracts';
import { DataSource, In } from 'typeorm';
import { hashPassword } from '../../common/auth/password';
import { assertPasswordPolicy } from '../../common/auth/password-policy';
import type { Principal } from '../../common/auth/principal';
import { userIdOf } from '../../common/auth/principal';
import { TenantContext } from '../../common/database/tenant-context';
import { CommonException, CommonExceptionCode, notFound } from '../../common/problem/app.exception';
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
    // Unique per organization only (under row-level security this sees this organization's users): an
    // address used in another organization is not a conflict, so the answer tells nothing about it.
    const [taken] = await em.query('SELECT 1 FROM users WHERE lower(email) = lower($1)', [input.email]);
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
    return this.sendLink(saved.id, principal);
  }

  /** Invited users who have no password yet (active ones: revoking an invitation deactivates the user). */
  async listInvitations(): Promise<PendingInvitationResponse[]> {
    const em = this.tenant.manager;
    // The state is decided by the database's clock, like the link's redemption (expires_at > now()).
    const rows: { id: string; expires_at: Date | null; state: PendingInvitationResponse['state']; invited_by: string | null }[] = await em.query(
      `SELECT u.id, t.expires_at, inviter.name AS invited_by,
              CASE WHEN t.expires_at IS NULL OR t.revoked THEN 'revoked' WHEN t.expires_at > now() THEN 'pending' ELSE 'expired' END AS state
         FROM users u
         LEFT JOIN LATERAL (
           SELECT expires_at, used_at IS NOT NULL AS revoked, created_by FROM user_tokens
            WHERE user_id = u.id AND purpose = 'set_password' ORDER BY created_at DESC LIMIT 1
         ) t ON true
         LEFT JOIN users inviter ON inviter.id = t.created_by
        WHERE u.password_hash IS NULL AND u.active
        ORDER BY u.created_at DESC, u.id`,
    );
    const users = new Map((await em.findBy(UserEntity, { id: In(rows.map((r) => r.id)) })).map((u) => [u.id, u]));
    return rows.map((r) => ({
      user: toUserResponse(users.get(r.id)!),
      expiresAt: r.expires_at ? new Date(r.expires_at).toISOString() : null,
      state: r.state,
      invitedBy: r.invited_by,
    }));
  }

  /** A new link for a pending invitee (the older ones stop working), e-mailed and shown once again. */
  async resendInvitation(userId: string, principal: Principal): Promise<InvitationResponse> {
    await this.pendingInvitee(userId);
    await this.revokeLinks(userId);
    return this.sendLink(userId, principal);
  }

  /** Withdraws an invitation: no link works any more and the invitee is deactivated (reactivate and resend to invite again). */
  async revokeInvitation(userId: string): Promise<void> {
    await this.pendingInvitee(userId);
    await this.revokeLinks(userId);
    await this.tenant.manager.update(UserEntity, { id: userId }, { active: false });
  }

  private async pendingInvitee(userId: string): Promise<void> {
    const [row] = await this.tenant.manager.query(`SELECT 1 FROM users WHERE id = $1 AND password_hash IS NULL AND active FOR UPDATE`, [userId]);
    if (!row) throw notFound('Invitation', userId);
  }

  /** Unused links of the user stop working (marked used: a link is single use anyway). */
  private async revokeLinks(userId: string): Promise<void> {
    await this.tenant.manager.query(
      `UPDATE user_tokens SET used_at = now() WHERE user_id = $1 AND purpose = 'set_password' AND used_at IS NULL`,
      [userId],
    );
  }

  /** Stores a new one-time link for the user (its hash only) and e-mails it when SMTP is configured. */
  private async sendLink(userId: string, principal: Principal): Promise<InvitationResponse> {
    const em = this.tenant.manager;
    const token = randomBytes(32).toString('base64url');
    const [row]: { expires_at: Date }[] = await em.query(
      `INSERT INTO user_tokens (tenant_id, user_id, purpose, token_hash, created_by, expires_at)
       VALUES ($1, $2, 'set_password', $3, $4, now() + make_interval(hours => $5)) RETURNING expires_at`,
      [principal.tenantId, userId, hashToken(token), userIdOf(principal), this.config.invitationTtlHours],
    );
    const user = await em.findOneByOrFail(UserEntity, { id: userId });
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
      // A refused password throws inside this transaction, so the link stays unused.
      const [user]: { email: string }[] = await em.query(`SELECT email FROM users WHERE id = $1`, [t.user_id]);
      if (!user) throw invalidLink();
      assertPasswordPolicy(input.password, user.email);
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
