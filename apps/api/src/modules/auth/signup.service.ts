import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SignupRequest, SignupResponse, VerifyEmailRequest } from '@kept/contracts';
import { DataSource } from 'typeorm';
import { hashPassword } from '../../common/auth/password';
import { assertPasswordPolicy } from '../../common/auth/password-policy';
import { TenantContext } from '../../common/database/tenant-context';
import { CommonException, CommonExceptionCode } from '../../common/problem/app.exception';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { AuthException, AuthExceptionCode } from './auth.exception';
import { InvitationMailer } from './invitation-mailer';
import { hashToken, IssuedSession, SessionService } from './session.service';

/** How long the e-mail verification link of a sign-up stays valid. */
const VERIFY_HOURS = 24;

const SENT: SignupResponse = {
  status: 'verification_sent',
  detail: 'If the address can be used, a confirmation link is on its way to it. Open it to start.',
};

const invalidLink = () =>
  new CommonException(CommonExceptionCode.UNAUTHENTICATED, 'The link is unknown, has expired or was already used; sign up again');

/** A slug nobody else has, without being able to see the other organizations (RLS): the name plus a random tail. */
const slugFor = (name: string) =>
  `${
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'org'
  }-${randomBytes(3).toString('hex')}`;

/**
 * Public sign-up (`SIGNUP=open`): a new organization and its admin, inactive until the e-mail address is
 * confirmed with a one-time link sent over the SMTP channel. A known address gets the same answer and
 * nothing is created, so the endpoint does not tell which addresses have accounts.
 */
@Injectable()
export class SignupService {
  private readonly log = new Logger(SignupService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenant: TenantContext,
    private readonly sessions: SessionService,
    private readonly mailer: InvitationMailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  mode(): { signup: AppConfig['signup'] } {
    return { signup: this.config.signup };
  }

  async signup(input: SignupRequest): Promise<SignupResponse> {
    if (this.config.signup !== 'open') {
      throw new AuthException(
        AuthExceptionCode.SIGNUP_CLOSED,
        this.config.signup === 'invite'
          ? 'This installation admits new users by invitation only; ask an administrator'
          : 'Sign-up is turned off on this installation',
      );
    }
    // The policy depends only on the request, so a refusal tells nothing about the address.
    assertPasswordPolicy(input.password, input.email);
    // Hashed before the look-up, so a known and an unknown address take the same time.
    const passwordHash = await hashPassword(input.password);
    const [taken] = await this.dataSource.query('SELECT 1 FROM kept_find_login($1)', [input.email]);
    if (taken) return SENT;
    const tenantId = randomUUID();
    const token = randomBytes(32).toString('base64url');
    const email = input.email.toLowerCase();
    await this.tenant.run(tenantId, async () => {
      const em = this.tenant.manager;
      await em.query(`INSERT INTO organizations (id, name, slug) VALUES ($1, $2, $3)`, [tenantId, input.organizationName, slugFor(input.organizationName)]);
      const [user]: { id: string }[] = await em.query(
        `INSERT INTO users (tenant_id, email, name, role, password_hash, active) VALUES ($1, $2, $3, 'admin', $4, false) RETURNING id`,
        [tenantId, email, input.name, passwordHash],
      );
      await em.query(
        `INSERT INTO user_tokens (tenant_id, user_id, purpose, token_hash, expires_at)
         VALUES ($1, $2, 'verify_email', $3, now() + make_interval(hours => $4))`,
        [tenantId, user.id, hashToken(token), VERIFY_HOURS],
      );
    });
    const link = `${this.config.worker.publicUrl.replace(/\/$/, '')}/verify-email#token=${token}`;
    await this.mailer.sendVerification(email, input.name, input.organizationName, link).catch((err: Error) => {
      this.log.warn(`the verification e-mail could not be sent: ${err.message}`);
    });
    return SENT;
  }

  /** Confirms the address of a sign-up: activates its (never activated) account and signs it in. */
  async verifyEmail(input: VerifyEmailRequest): Promise<IssuedSession> {
    const hash = hashToken(input.token);
    const [found]: { tenant_id: string }[] = await this.dataSource.query('SELECT tenant_id FROM kept_find_user_token($1)', [hash]);
    if (!found) throw invalidLink();
    return this.tenant.run(found.tenant_id, async () => {
      const em = this.tenant.manager;
      const [[t]]: [{ user_id: string }[]] = await em.query(
        `UPDATE user_tokens SET used_at = now()
          WHERE token_hash = $1 AND purpose = 'verify_email' AND used_at IS NULL AND expires_at > now()
          RETURNING user_id`,
        [hash],
      );
      if (!t) throw invalidLink();
      await em.query(`UPDATE users SET active = true WHERE id = $1`, [t.user_id]);
      return this.sessions.issue(t.user_id);
    });
  }
}
