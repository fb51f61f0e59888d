import { z } from 'zod';

export const ROLES = ['admin', 'manager', 'dispatcher', 'engineer', 'viewer'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const loginRequestSchema = z.object({
  email: z.email().max(320),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export interface UserResponse {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  /** The team the user belongs to (engineers, in practice); null when none. */
  team: string | null;
  createdAt: string;
}

export interface LoginResponse {
  accessToken: string;
  tokenType: 'Bearer';
  /** Lifetime of the access token in seconds. */
  expiresIn: number;
  user: UserResponse;
  organization: { id: string; name: string };
}

/** A team name: the board and analytics group engineers by it. */
export const teamSchema = z.string().trim().min(1).max(100);

export const createUserRequestSchema = z.object({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  role: roleSchema,
  /** OWASP ASVS: at least 12 characters; the API also refuses the e-mail, repeats and common passwords (422). */
  password: z.string().min(12).max(200),
  team: teamSchema.optional(),
});
export type CreateUserRequest = z.infer<typeof createUserRequestSchema>;

export const updateUserRequestSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  role: roleSchema.optional(),
  active: z.boolean().optional(),
  /** A team name, or null to take the user out of any team. */
  team: teamSchema.nullable().optional(),
  version: z.number().int().min(1).optional(),
});
export type UpdateUserRequest = z.infer<typeof updateUserRequestSchema>;

export const createApiKeyRequestSchema = z.object({
  name: z.string().trim().min(1).max(200),
  role: roleSchema.default('dispatcher'),
});
export type CreateApiKeyRequest = z.infer<typeof createApiKeyRequestSchema>;

export interface ApiKeyResponse {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Only returned once, on creation: the secret itself is never stored. */
export interface CreatedApiKeyResponse extends ApiKeyResponse {
  key: string;
}
