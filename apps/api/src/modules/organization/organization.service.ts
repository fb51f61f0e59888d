import { Injectable } from '@nestjs/common';
import { BRAND_LOGO_TYPES, type OrganizationSettings, type UpdateOrganizationSettingsRequest } from '@kept/contracts';
import { accentContrast, WCAG_AA_NORMAL_TEXT } from '@kept/domain';
import { TenantContext } from '../../common/database/tenant-context';
import { assertVersion, type ExpectedVersion } from '../../common/http/concurrency';
import { sniffContentType } from '../field';
import { OrganizationException, OrganizationExceptionCode } from './organization.exception';
import { toOrganizationSettings } from './organization.mapper';
import { OrganizationRepository } from './organization.repository';

type LogoType = (typeof BRAND_LOGO_TYPES)[number];
export const isLogoType = (t: string | undefined): t is LogoType => BRAND_LOGO_TYPES.includes(t?.split(';')[0].trim() as LogoType);

/** The tenant's branding and customer-facing settings (admins change them; her status page wears them). */
@Injectable()
export class OrganizationService {
  constructor(
    private readonly repo: OrganizationRepository,
    private readonly tenant: TenantContext,
  ) {}

  async settings(): Promise<OrganizationSettings> {
    return toOrganizationSettings(await this.repo.settings());
  }

  async update(body: UpdateOrganizationSettingsRequest, expected: ExpectedVersion): Promise<OrganizationSettings> {
    if (body.accentColor) {
      const c = accentContrast(body.accentColor);
      if (!c.meetsAA) {
        throw new OrganizationException(
          OrganizationExceptionCode.ACCENT_CONTRAST_TOO_LOW,
          `White text on ${body.accentColor} has a contrast of ${c.withWhite.toFixed(2)} : 1; the status page needs at least ${WCAG_AA_NORMAL_TEXT} : 1 (WCAG AA). Choose a darker colour.`,
          [{ path: 'accentColor', message: `contrast with white ${c.withWhite.toFixed(2)} : 1 is below ${WCAG_AA_NORMAL_TEXT} : 1` }],
        );
      }
    }
    const current = await this.repo.settings(true);
    assertVersion(expected, current.settings_version);
    const row = await this.repo.update({
      name: body.name,
      brand_accent: body.accentColor,
      default_language: body.defaultLanguage,
      customer_emails: body.customerEmails,
    });
    return toOrganizationSettings(row);
  }

  /** A PNG, JPEG or WebP whose first bytes say so (size checked while reading, see the controller). */
  async setLogo(contentType: LogoType, data: Buffer): Promise<OrganizationSettings> {
    const sniffed = sniffContentType(data.subarray(0, 16));
    if (sniffed !== contentType) {
      throw new OrganizationException(
        OrganizationExceptionCode.LOGO_UNSUPPORTED_TYPE,
        `The file does not look like ${contentType}${sniffed ? ` (it looks like ${sniffed})` : ''}; send a PNG, JPEG or WebP image`,
      );
    }
    return toOrganizationSettings(await this.repo.setLogo(data, contentType));
  }

  async removeLogo(): Promise<OrganizationSettings> {
    return toOrganizationSettings(await this.repo.setLogo(null, null));
  }

  /** Public (no log-in): read in that organization's own scope, so row-level security still applies. */
  async publicLogo(organizationId: string): Promise<{ data: Buffer; type: string }> {
    const logo = await this.tenant.run(organizationId, () => this.repo.logo());
    if (!logo) throw new OrganizationException(OrganizationExceptionCode.LOGO_NOT_FOUND);
    return logo;
  }
}
