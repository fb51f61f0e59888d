import { z } from 'zod';

export const ROLES = ['admin', 'manager', 'dispatcher', 'engineer', 'viewer'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const loginRequestSchema = z.object({
  email: z.email().max(320),
  password: z.string().min(1).max(200),
  /**
   * The organization's name or slug. An e-mail address is unique per organization only: needed just when
   * the password fits accounts in several organizations (409 ORGANIZATION_REQUIRED otherwise).
   */
  organization: z.string().trim().min(1).max(200).optional(),
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

/** A new password: the same rule as a user's password at creation. */
const newPasswordSchema = createUserRequestSchema.shape.password;

export const changePasswordRequestSchema = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: newPasswordSchema,
});
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;

/** An admin invites a user by e-mail: the user gets a one-time link to choose a password. */
export const createInvitationRequestSchema = z.object({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  role: roleSchema,
  team: teamSchema.optional(),
});
export type CreateInvitationRequest = z.infer<typeof createInvitationRequestSchema>;

export interface InvitationResponse {
  user: UserResponse;
  /** The one-time set-password link (also e-mailed when SMTP is configured); shown once. */
  link: string;
  expiresAt: string;
  emailed: boolean;
}

/** An invited user who has not chosen a password yet, with the state of their newest link. */
export interface PendingInvitationResponse {
  user: UserResponse;
  /** When the newest link expires (or expired); null when every link was revoked. */
  expiresAt: string | null;
  /** `pending`: a link works now; `expired`: resend to give a new one; `revoked`: no link works. */
  state: 'pending' | 'expired' | 'revoked';
  invitedBy: string | null;
}

/** Redeems a one-time set-password link (a new organization's first admin, or an invitation). */
export const setPasswordRequestSchema = z.object({
  token: z.string().min(20).max(200),
  password: newPasswordSchema,
});
export type SetPasswordRequest = z.infer<typeof setPasswordRequestSchema>;

/** Public sign-up of a new organization (only when the server runs with SIGNUP=open). */
export const signupRequestSchema = z.object({
  organizationName: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
  password: newPasswordSchema,
});
export type SignupRequest = z.infer<typeof signupRequestSchema>;

/** The same answer whether or not the address was already known (no account enumeration). */
export interface SignupResponse {
  status: 'verification_sent';
  detail: string;
}

export const verifyEmailRequestSchema = z.object({ token: z.string().min(20).max(200) });
export type VerifyEmailRequest = z.infer<typeof verifyEmailRequestSchema>;

/** Which self-service entry points this server offers (for the log-in page). */
export interface SignupModeResponse {
  signup: 'open' | 'invite' | 'off';
}

/*
 * Response schemas of the auth, API-key and user routes, for the OpenAPI document's 2xx responses. Each
 * `satisfies` the interface above, so the two cannot drift apart.
 */
export const userResponseSchema = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  active: z.boolean(),
  team: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
}) satisfies z.ZodType<UserResponse>;

/** A user as `GET /users` and `GET /users/:id` answer it: with the version to send back in If-Match. */
export const versionedUserResponseSchema = userResponseSchema.extend({ version: z.number().int().min(1) });

export const loginResponseSchema = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int(),
  user: userResponseSchema,
  organization: z.object({ id: z.uuid(), name: z.string() }),
}) satisfies z.ZodType<LoginResponse>;

export const meResponseSchema = z.object({
  principal: z.object({ kind: z.enum(['user', 'api_key', 'customer']), id: z.string(), role: z.string(), name: z.string() }),
  user: userResponseSchema.nullable(),
  organization: z.object({ id: z.uuid(), name: z.string(), targetKeepRate: z.number() }),
});

export const apiKeyResponseSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: roleSchema,
  prefix: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  lastUsedAt: z.iso.datetime({ offset: true }).nullable(),
  revokedAt: z.iso.datetime({ offset: true }).nullable(),
}) satisfies z.ZodType<ApiKeyResponse>;

export const createdApiKeyResponseSchema = apiKeyResponseSchema.extend({ key: z.string() }) satisfies z.ZodType<CreatedApiKeyResponse>;

export const invitationResponseSchema = z.object({
  user: userResponseSchema,
  link: z.url(),
  expiresAt: z.iso.datetime({ offset: true }),
  emailed: z.boolean(),
}) satisfies z.ZodType<InvitationResponse>;

export const pendingInvitationResponseSchema = z.object({
  user: userResponseSchema,
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
  state: z.enum(['pending', 'expired', 'revoked']),
  invitedBy: z.string().nullable(),
}) satisfies z.ZodType<PendingInvitationResponse>;

export const signupResponseSchema = z.object({ status: z.literal('verification_sent'), detail: z.string() }) satisfies z.ZodType<SignupResponse>;

export const signupModeResponseSchema = z.object({ signup: z.enum(['open', 'invite', 'off']) }) satisfies z.ZodType<SignupModeResponse>;
