import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ApiKeyResponse, CreateApiKeyRequest, CreatedApiKeyResponse, LoginRequest } from '@kept/contracts';
import * as argon2 from 'argon2';
import { DataSource, IsNull } from 'typeorm';
import { API_KEY_PREFIX, hashApiKeySecret } from '../../common/auth/auth.guard';
import { hashPassword } from '../../common/auth/password';
import { Principal, userIdOf } from '../../common/auth/principal';
import { TenantContext } from '../../common/database/tenant-context';
import { CommonException, CommonExceptionCode, notFound } from '../../common/problem/app.exception';
import { toUserResponse, UserEntity } from '../users';
import { ApiKeyEntity } from './api-key.entity';
import { toApiKeyResponse } from './auth.mapper';
import { EventPublisher } from '../events';
import { AuthException, AuthExceptionCode } from './auth.exception';
import { OrganizationEntity } from './organization.entity';
import { IssuedSession, SessionService } from './session.service';

/** Accounts one e-mail address may log in to without naming the organization (bounds the hashing per attempt). */
const MAX_ACCOUNTS_PER_EMAIL = 5;

@Injectable()
export class AuthService {
  /** Verified against when the e-mail is unknown, so both paths take the same time. */
  private readonly dummyHash = hashPassword(randomBytes(16).toString('hex'));

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenant: TenantContext,
    private readonly sessions: SessionService,
    private readonly events: EventPublisher,
  ) {}

  /**
   * E-mail addresses are unique per organization, so one address may have accounts in several. The
   * password is checked against each (in parallel, at most MAX_ACCOUNTS_PER_EMAIL; against a dummy hash
   * when there is none, so an unknown address takes as long as a wrong password). Only someone who knows
   * the password of two of them learns that they exist, and is asked to name the organization.
   */
  async login(input: LoginRequest): Promise<IssuedSession> {
    const rows: { user_id: string; tenant_id: string; password_hash: string | null; active: boolean }[] = await this.dataSource.query(
      'SELECT * FROM kept_find_login($1, $2) LIMIT $3',
      [input.email, input.organization ?? null, MAX_ACCOUNTS_PER_EMAIL],
    );
    const dummy = await this.dummyHash;
    const fits = await Promise.all(
      (rows.length ? rows : [null]).map((row) => argon2.verify(row?.password_hash ?? dummy, input.password).then((ok) => ok && !!row?.password_hash)),
    );
    const matches = rows.filter((row, i) => fits[i] && row.active);
    if (matches.length > 1) {
      throw new AuthException(
        AuthExceptionCode.ORGANIZATION_REQUIRED,
        'This e-mail address has accounts in several organizations: give the name of the one to log in to',
      );
    }
    if (!matches.length) throw new CommonException(CommonExceptionCode.UNAUTHENTICATED, 'The e-mail or password is wrong');
    const [row] = matches;
    return this.tenant.run(row.tenant_id, () => this.sessions.issue(row.user_id));
  }

  async me(principal: Principal) {
    const em = this.tenant.manager;
    const org = await em.findOneByOrFail(OrganizationEntity, { id: principal.tenantId });
    const user = principal.kind === 'user' ? await em.findOneBy(UserEntity, { id: principal.id }) : null;
    return {
      principal: { kind: principal.kind, id: principal.id, role: principal.role, name: principal.name },
      user: user ? toUserResponse(user) : null,
      organization: { id: org.id, name: org.name, targetKeepRate: org.targetKeepRate },
    };
  }

  async createApiKey(input: CreateApiKeyRequest, principal: Principal): Promise<CreatedApiKeyResponse> {
    const prefix = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12);
    const secret = randomBytes(32).toString('base64url');
    const em = this.tenant.manager;
    const saved = await em.save(
      em.create(ApiKeyEntity, {
        tenantId: principal.tenantId,
        name: input.name,
        role: input.role,
        prefix,
        keyHash: hashApiKeySecret(secret),
        createdBy: userIdOf(principal),
      }),
    );
    const stored = await em.findOneByOrFail(ApiKeyEntity, { id: saved.id });
    return { ...toApiKeyResponse(stored), key: `${API_KEY_PREFIX}${prefix}_${secret}` };
  }

  async listApiKeys(): Promise<ApiKeyResponse[]> {
    const keys = await this.tenant.manager.find(ApiKeyEntity, { order: { createdAt: 'DESC' } });
    return keys.map(toApiKeyResponse);
  }

  async revokeApiKey(id: string): Promise<ApiKeyResponse> {
    const em = this.tenant.manager;
    const key = await em.findOneBy(ApiKeyEntity, { id });
    if (!key) throw notFound('API key', id);
    if (!key.revokedAt) {
      await em.update(ApiKeyEntity, { id, revokedAt: IsNull() }, { revokedAt: new Date() });
      await this.events.publishSessionEnded(id, 0);
    }
    return toApiKeyResponse(await em.findOneByOrFail(ApiKeyEntity, { id }));
  }
}
