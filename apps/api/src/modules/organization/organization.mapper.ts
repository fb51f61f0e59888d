import type { OrganizationSettings } from '@kept/contracts';
import type { OrganizationSettingsRow } from './organization.repository';

export const toOrganizationSettings = (r: OrganizationSettingsRow): OrganizationSettings => ({
  name: r.name,
  accentColor: r.brand_accent,
  logo: r.logo_type && r.logo_size !== null ? { contentType: r.logo_type, size: Number(r.logo_size) } : null,
  defaultLanguage: r.default_language,
  customerEmails: r.customer_emails,
  version: r.settings_version,
});
