import type { ApiKeyResponse } from '@kept/contracts';
import type { ApiKeyEntity } from './api-key.entity';

export const toApiKeyResponse = (k: ApiKeyEntity): ApiKeyResponse => ({
  id: k.id,
  name: k.name,
  role: k.role,
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});
