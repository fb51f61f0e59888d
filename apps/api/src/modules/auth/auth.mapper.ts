import type { ApiKeyResponse, UserResponse } from '@kept/contracts';
import type { UserEntity } from '../users';
import type { ApiKeyEntity } from './api-key.entity';

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

export const toApiKeyResponse = (k: ApiKeyEntity): ApiKeyResponse => ({
  id: k.id,
  name: k.name,
  role: k.role,
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});
