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
  /** A user's session version, as signed into the access token; checked against `users.session_version`. */
  sessionVersion?: number;
  /** When the access token expires (epoch ms); an event stream closes then. */
  expiresAt?: number;
}

export interface AccessTokenClaims {
  sub: string;
  tid: string;
  role: Role;
  name: string;
  /** The user's session version when the token was issued. */
  sv: number;
}

/** What a request's transaction checks before any work: the user is active and the token's session is current. */
export interface SessionCheck {
  userId: string;
  version: number;
}

/** The session check of a principal (API keys have none: they are looked up on every request anyway). */
export const sessionCheckOf = (p: Principal): SessionCheck | undefined =>
  p.kind === 'user' && p.sessionVersion !== undefined ? { userId: p.id, version: p.sessionVersion } : undefined;

/** The acting user's id for `created_by` columns; null for an API key. */
export const userIdOf = (p: Principal): string | null => (p.kind === 'user' ? p.id : null);
