import {
  apiKeyResponseSchema,
  createdApiKeyResponseSchema,
  invitationResponseSchema,
  loginResponseSchema,
  meResponseSchema,
  pendingInvitationResponseSchema,
  signupModeResponseSchema,
  signupResponseSchema,
  changePasswordRequestSchema,
  createApiKeyRequestSchema,
  createInvitationRequestSchema,
  loginRequestSchema,
  setPasswordRequestSchema,
  signupRequestSchema,
  verifyEmailRequestSchema,
} from '@kept/contracts';
import { createZodDto } from 'nestjs-zod';

export class LoginDto extends createZodDto(loginRequestSchema) {}
export class CreateApiKeyDto extends createZodDto(createApiKeyRequestSchema) {}
export class ChangePasswordDto extends createZodDto(changePasswordRequestSchema) {}
export class CreateInvitationDto extends createZodDto(createInvitationRequestSchema) {}
export class SetPasswordDto extends createZodDto(setPasswordRequestSchema) {}
export class SignupDto extends createZodDto(signupRequestSchema) {}
export class VerifyEmailDto extends createZodDto(verifyEmailRequestSchema) {}

// Response shapes, for the OpenAPI document only (the handlers' return types are the contracts' interfaces).
export class LoginResponseDto extends createZodDto(loginResponseSchema) {}
export class MeResponseDto extends createZodDto(meResponseSchema) {}
export class ApiKeyResponseDto extends createZodDto(apiKeyResponseSchema) {}
export class CreatedApiKeyResponseDto extends createZodDto(createdApiKeyResponseSchema) {}
export class InvitationResponseDto extends createZodDto(invitationResponseSchema) {}
export class PendingInvitationResponseDto extends createZodDto(pendingInvitationResponseSchema) {}
export class SignupResponseDto extends createZodDto(signupResponseSchema) {}
export class SignupModeResponseDto extends createZodDto(signupModeResponseSchema) {}
