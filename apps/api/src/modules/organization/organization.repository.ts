import { Injectable } from '@nestjs/common';
import { Sql, sqlOfManager } from '../../common/database/sql';
import { TenantContext } from '../../common/database/tenant-context';

export interface OrganizationSettingsRow {
  name: string;
  brand_accent: string | null;
  logo_type: string | null;
  logo_size: number | null;
  default_language: 'en' | 'de';
  customer_emails: boolean;
  settings_version: number;
}

const COLUMNS = `name, brand_accent, brand_logo_type AS logo_type, octet_length(brand_logo) AS logo_size,
  default_language, customer_emails, settings_version`;

/** The tenant's own row (row-level security: a request sees only its organization). */
@Injectable()
export class OrganizationRepository {
  constructor(private readonly tenant: TenantContext) {}

  private get sql(): Sql {
    return sqlOfManager(this.tenant.manager);
  }

  async settings(forUpdate = false): Promise<OrganizationSettingsRow> {
    const [row] = await this.sql<OrganizationSettingsRow>(
      `SELECT ${COLUMNS} FROM organizations WHERE id = kept_current_tenant()${forUpdate ? ' FOR UPDATE' : ''}`,
    );
    return row;
  }

  async update(changes: { name?: string; brand_accent?: string | null; default_language?: string; customer_emails?: boolean }) {
    const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
    const sets = entries.map(([k], i) => `${k} = $${i + 1}`);
    const [row] = await this.sql<OrganizationSettingsRow>(
      `UPDATE organizations SET ${[...sets, 'settings_version = settings_version + 1', 'updated_at = now()'].join(', ')}
        WHERE id = kept_current_tenant() RETURNING ${COLUMNS}`,
      entries.map(([, v]) => v),
    );
    return row;
  }

  async setLogo(data: Buffer | null, contentType: string | null): Promise<OrganizationSettingsRow> {
    const [row] = await this.sql<OrganizationSettingsRow>(
      `UPDATE organizations SET brand_logo = $1, brand_logo_type = $2, settings_version = settings_version + 1, updated_at = now()
        WHERE id = kept_current_tenant() RETURNING ${COLUMNS}`,
      [data, contentType],
    );
    return row;
  }

  async logo(): Promise<{ data: Buffer; type: string } | null> {
    const [row] = await this.sql<{ data: Buffer | null; type: string | null }>(
      `SELECT brand_logo AS data, brand_logo_type AS type FROM organizations WHERE id = kept_current_tenant()`,
    );
    return row?.data && row.type ? { data: row.data, type: row.type } : null;
  }
}
