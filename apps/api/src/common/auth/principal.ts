import type { Role } from '@kept/contracts';

/** Who is calling: a signed-in user or an integration's API key, always within one tenant. */
export interface Principal {
  kind: 'user' | 'api_key';
  id: string;
  tenantId: string;
  role: Role;
  name: string;
}

export interface AccessTokenClaims {
  sub: string;
  tid: string;
  role: Role;
  name: string;
}
