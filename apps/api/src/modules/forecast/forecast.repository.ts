import { Injectable } from '@nestjs/common';
import { sqlClientOf, type SqlClient } from '@kept/history';
import { TenantContext } from '../../common/database/tenant-context';
import { readContracts, readTargetKeepRate, type ContractClock } from './model-build';

/** Data access of the forecast module (raw SQL in the request's tenant transaction; RLS applies). */
@Injectable()
export class ForecastRepository {
  constructor(private readonly tenant: TenantContext) {}

  private get db(): SqlClient {
    const m = this.tenant.manager;
    return sqlClientOf((t, p) => m.query(t, p));
  }

  targetKeepRate(tenantId: string): Promise<number> {
    return readTargetKeepRate(this.db, tenantId);
  }

  /** The tenant's contracts (only those with these ids, when given). */
  contracts(tenantId: string, ids?: string[]): Promise<Map<string, ContractClock>> {
    return readContracts(this.db, tenantId, ids);
  }

  async customerExists(id: string): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM customers WHERE id = $1`, [id])).length > 0;
  }

  async site(id: string): Promise<{ customerId: string; region: string | null; timeZone: string } | null> {
    const rows = await this.db.query(`SELECT customer_id, region, time_zone FROM sites WHERE id = $1`, [id]);
    return rows.length ? { customerId: rows[0].customer_id as string, region: rows[0].region as string | null, timeZone: rows[0].time_zone as string } : null;
  }

  /** The sites with these ids (region and zone), in one query. */
  async sites(ids: string[]): Promise<Map<string, { region: string | null; timeZone: string }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query(`SELECT id, region, time_zone FROM sites WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id as string, { region: r.region as string | null, timeZone: r.time_zone as string }]));
  }

  /** The customer's contract valid at `at` (the most recent one when several are). */
  async contractOf(customerId: string, at: Date): Promise<string | null> {
    const rows = await this.db.query(
      `SELECT id FROM contracts WHERE customer_id = $1 AND (valid_from IS NULL OR valid_from <= $2::date) AND (valid_to IS NULL OR valid_to >= $2::date)
       ORDER BY created_at DESC LIMIT 1`,
      [customerId, at.toISOString().slice(0, 10)],
    );
    return rows.length ? (rows[0].id as string) : null;
  }
}
