import type { UserResponse } from '@kept/contracts';
import type { UserEntity } from './user.entity';

export const toUserResponse = (u: UserEntity): UserResponse => ({
  id: u.id,
  tenantId: u.tenantId,
  email: u.email,
  name: u.name,
  role: u.role,
  active: u.active,
  team: u.team ?? null,
  createdAt: u.createdAt.toISOString(),
});
