import { Injectable } from '@nestjs/common';
import type { CreateUserRequest, UpdateUserRequest, UserResponse } from '@kept/contracts';
import type { Principal } from '../../common/auth/principal';
import { TenantContext } from '../../common/database/tenant-context';
import { updateVersioned } from '../../common/database/versioned-update';
import type { ExpectedVersion } from '../../common/http/concurrency';
import { CommonException, CommonExceptionCode, notFound } from '../../common/problem/app.exception';
import { hashPassword } from '../../common/auth/password';
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
    const em = this.tenant.manager;
    const [taken] = await em.query('SELECT 1 FROM kept_find_login($1)', [input.email]);
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
    await updateVersioned(em, UserEntity, 'User', id, expected, input, (current) => {
      before = current.sessionVersion;
    });
    // A role or active change bumped the session version (trigger): the user's tokens are refused from
    // now on, and their live event streams close in every API process once this commits.
    const after = await em.findOneByOrFail(UserEntity, { id });
    if (after.sessionVersion !== before) await this.events.publishSessionEnded(id, after.sessionVersion);
    return this.get(id);
  }
}
