import { Injectable } from '@nestjs/common';
import type { CreateUserRequest, UpdateUserRequest, UserResponse } from '@kept/contracts';
import type { Principal } from '../../common/auth/principal';
import { TenantContext } from '../../common/database/tenant-context';
import { updateVersioned } from '../../common/database/versioned-update';
import type { ExpectedVersion } from '../../common/http/concurrency';
import { CommonException, CommonExceptionCode, notFound } from '../../common/problem/app.exception';
import { hashPassword } from '../../common/auth/password';
import { assertPasswordPolicy } from '../../common/auth/password-policy';
import { UserException, UserExceptionCode } from './user.exception';
import { EventPublisher } from '../events';
import { toUserResponse } from './user.mapper';
import { UserEntity } from './user.entity';

@Injectable()
export class UsersService {
  constructor(
    private readonly tenant: TenantContext,
    private readonly events: EventPublisher,
  ) {}

  async list(): Promise<(UserResponse & { version: number })[]> {
    const users = await this.tenant.manager.find(UserEntity, { order: { name: 'ASC' } });
    return users.map((u) => ({ ...toUserResponse(u), version: u.version }));
  }

  async get(id: string): Promise<UserResponse & { version: number }> {
    const user = await this.tenant.manager.findOneBy(UserEntity, { id });
    if (!user) throw notFound('User', id);
    return { ...toUserResponse(user), version: user.version };
  }

  async create(input: CreateUserRequest, principal: Principal): Promise<UserResponse & { version: number }> {
    assertPasswordPolicy(input.password, input.email);
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
        passwordHash: await hashPassword(input.password),
        active: true,
        team: input.team ?? null,
      }),
    );
    return this.get(saved.id);
  }

  async update(id: string, input: UpdateUserRequest, expected: ExpectedVersion) {
    const em = this.tenant.manager;
    let before = 0;
    await updateVersioned(em, UserEntity, 'User', id, expected, input, async (current) => {
      before = current.sessionVersion;
      const removesAdmin = current.role === 'admin' && current.active && ((input.role !== undefined && input.role !== 'admin') || input.active === false);
      if (!removesAdmin) return;
      // One admin change at a time per tenant: two admins demoting each other at once would otherwise
      // each still see the other and both succeed. After the lock, a fresh statement sees committed changes.
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('kept:admins:' || $1, 0))`, [current.tenantId]);
      const [{ others }] = await em.query(`SELECT count(*)::int AS others FROM users WHERE role = 'admin' AND active AND id <> $1`, [id]);
      if (others === 0) {
        throw new UserException(
          UserExceptionCode.LAST_ADMIN,
          `${current.name} is the only active admin: make another user admin before ${input.active === false ? 'deactivating' : 'demoting'} them`,
        );
      }
    });
    // A role or active change bumped the session version (trigger): the user's tokens are refused from
    // now on, and their live event streams close in every API process once this commits.
    const after = await em.findOneByOrFail(UserEntity, { id });
    if (after.sessionVersion !== before) await this.events.publishSessionEnded(id, after.sessionVersion);
    return this.get(id);
  }
}
