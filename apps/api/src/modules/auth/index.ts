// The auth module's public face: other modules and the application roots import from here, never from its files.
// Entities first: a module that imports this index while it is still loading (users ↔ auth) finds them defined.
export { ApiKeyEntity } from './api-key.entity';
export { OrganizationEntity } from './organization.entity';
export { toUserResponse } from './auth.mapper';
export { hashPassword } from './auth.service';
export { AuthModule } from './auth.module';
