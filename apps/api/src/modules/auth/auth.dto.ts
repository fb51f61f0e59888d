import {
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
