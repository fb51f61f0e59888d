import type { Role } from '@kept/contracts';

/**
 * Who is calling: a signed-in user or an integration's API key, always within one tenant; `customer` is
 * the customer acting through her status link (id: the link's id), never a guard's principal.
 */
export interface Principal {
  kind: 'user' | 'api_key' | 'customer';
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

/** The acting user's id for `created_by` columns; null for an API key. */
export const userIdOf = (p: Principal): string | null => (p.kind === 'user' ? p.id : null);
