import { createApiKeyRequestSchema, loginRequestSchema } from '@kept/contracts';
import { createZodDto } from 'nestjs-zod';

export class LoginDto extends createZodDto(loginRequestSchema) {}
export class CreateApiKeyDto extends createZodDto(createApiKeyRequestSchema) {}
