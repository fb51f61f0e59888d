import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type {
  CreatedWebhookEndpointResponse,
  CreateWebhookEndpointRequest,
  UpdateWebhookEndpointRequest,
  WebhookDeliveryResponse,
  WebhookEndpointResponse,
} from '@kept/contracts';
import { TenantContext } from '../../common/database/tenant-context';
import { assertVersion, ExpectedVersion } from '../../common/http/concurrency';
import { CommonException, CommonExceptionCode, notFound } from '../../common/problem/app.exception';
import { DeliveryRow, EndpointRow, toDelivery, toEndpoint } from './alert.mapper';
import { Sql, sqlOfManager } from './sql';

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** Outgoing webhook endpoints, their delivery log and redelivery. */
@Injectable()
export class WebhooksService {
  constructor(private readonly tenant: TenantContext) {}

  private get sql(): Sql {
    return sqlOfManager(this.tenant.manager);
  }

  async list(): Promise<WebhookEndpointResponse[]> {
    return (await this.sql<EndpointRow>(`SELECT * FROM webhook_endpoints ORDER BY created_at`)).map(toEndpoint);
  }

  async get(id: string): Promise<WebhookEndpointResponse> {
    return toEndpoint(await this.require(id));
  }

  /** The secret is returned this once; it is needed to verify signatures. */
  async create(input: CreateWebhookEndpointRequest): Promise<CreatedWebhookEndpointResponse> {
    const [row] = await this.sql<EndpointRow>(
      `INSERT INTO webhook_endpoints (tenant_id, url, description, secret, min_severity) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [this.tenant.tenantId, input.url, input.description ?? null, newWebhookSecret(), input.minSeverity],
    );
    return { ...toEndpoint(row), secret: row.secret };
  }

  async update(id: string, input: UpdateWebhookEndpointRequest, expected: ExpectedVersion): Promise<WebhookEndpointResponse> {
    const current = await this.require(id, true);
    assertVersion(expected, current.version);
    const [row] = await this.sql<EndpointRow>(
      `UPDATE webhook_endpoints SET url = coalesce($2, url), description = coalesce($3, description),
              min_severity = coalesce($4, min_severity), active = coalesce($5, active),
              disabled_reason = CASE WHEN $5 IS TRUE THEN NULL ELSE disabled_reason END,
              version = version + 1, updated_at = now()
        WHERE id = $1 RETURNING *`,
      [id, input.url ?? null, input.description ?? null, input.minSeverity ?? null, input.active ?? null],
    );
    return toEndpoint(row);
  }

  async deliveries(endpointId: string, limit = 50): Promise<WebhookDeliveryResponse[]> {
    await this.require(endpointId);
    const rows = await this.sql<DeliveryRow>(
      `SELECT * FROM deliveries WHERE endpoint_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [endpointId, limit],
    );
    return rows.map(toDelivery);
  }

  /** Sends a delivery again now (same webhook-id, so receivers can tell it is the same message). */
  async redeliver(deliveryId: string): Promise<WebhookDeliveryResponse> {
    const [row] = await this.sql<DeliveryRow & { endpoint_active: boolean }>(
      `SELECT d.*, e.active AS endpoint_active FROM deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = $1 AND d.channel = 'webhook' FOR UPDATE OF d`,
      [deliveryId],
    );
    if (!row) throw notFound('Webhook delivery', deliveryId);
    if (!row.endpoint_active) {
      throw new CommonException(CommonExceptionCode.CONFLICT, 'The endpoint is disabled: enable it before redelivering');
    }
    if (row.state === 'pending') return toDelivery(row);
    const [updated] = await this.sql<DeliveryRow>(
      `UPDATE deliveries SET state = 'pending', next_attempt_at = now(), last_error = NULL WHERE id = $1 RETURNING *`,
      [deliveryId],
    );
    return toDelivery(updated);
  }

  private async require(id: string, lock = false): Promise<EndpointRow> {
    const [row] = await this.sql<EndpointRow>(`SELECT * FROM webhook_endpoints WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    if (!row) throw notFound('Webhook endpoint', id);
    return row;
  }
}
