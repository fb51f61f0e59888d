// The organization module's public face.
export { OrganizationModule } from './organization.module';
