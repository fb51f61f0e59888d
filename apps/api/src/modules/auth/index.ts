// The auth module's public face: other modules and the application roots import from here, never from its files.
export { ApiKeyEntity } from './api-key.entity';
export { OrganizationEntity } from './organization.entity';
export { AuthModule } from './auth.module';
