import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type {
  CreatedWebhookEndpointResponse,
  CreateWebhookEndpointRequest,
  UpdateWebhookEndpointRequest,
  WebhookDeliveryResponse,
  WebhookEndpointResponse,
} from '@kept/contracts';
import { assertVersion, ExpectedVersion } from '../../common/http/concurrency';
import { AlertException, AlertExceptionCode } from './alert.exception';
import { EndpointRow, toDelivery, toEndpoint } from './alert.mapper';
import { AlertsRepository } from './alerts.repository';
import { WebhookEgress, WebhookRefused } from './webhook-egress';

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** Outgoing webhook endpoints, their delivery log and redelivery. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly egress: WebhookEgress,
  ) {}

  async list(): Promise<WebhookEndpointResponse[]> {
    return (await this.alerts.listEndpoints()).map(toEndpoint);
  }

  async get(id: string): Promise<WebhookEndpointResponse> {
    return toEndpoint(await this.require(id));
  }

  /** The secret is returned this once; it is needed to verify signatures. */
  async create(input: CreateWebhookEndpointRequest): Promise<CreatedWebhookEndpointResponse> {
    await this.checkUrl(input.url);
    const row = await this.alerts.insertEndpoint({
      url: input.url,
      description: input.description ?? null,
      secret: newWebhookSecret(),
      minSeverity: input.minSeverity,
    });
    return { ...toEndpoint(row), secret: row.secret };
  }

  async update(id: string, input: UpdateWebhookEndpointRequest, expected: ExpectedVersion): Promise<WebhookEndpointResponse> {
    const current = await this.require(id, true);
    assertVersion(expected, current.version);
    if (input.url !== undefined) await this.checkUrl(input.url);
    const row = await this.alerts.updateEndpoint(id, {
      url: input.url ?? null,
      description: input.description ?? null,
      minSeverity: input.minSeverity ?? null,
      active: input.active ?? null,
    });
    return toEndpoint(row);
  }

  async deliveries(endpointId: string, limit = 50): Promise<WebhookDeliveryResponse[]> {
    await this.require(endpointId);
    return (await this.alerts.deliveriesOfEndpoint(endpointId, limit)).map(toDelivery);
  }

  /** Sends a delivery again now (same webhook-id, so receivers can tell it is the same message). */
  async redeliver(deliveryId: string): Promise<WebhookDeliveryResponse> {
    const row = await this.alerts.findWebhookDelivery(deliveryId);
    if (!row) throw new AlertException(AlertExceptionCode.WEBHOOK_DELIVERY_NOT_FOUND, `Webhook delivery ${deliveryId} does not exist`);
    if (!row.endpoint_active) {
      throw new AlertException(AlertExceptionCode.WEBHOOK_ENDPOINT_DISABLED, 'The endpoint is disabled: enable it before redelivering');
    }
    if (row.state === 'pending') return toDelivery(row);
    return toDelivery(await this.alerts.requeueDelivery(deliveryId));
  }

  /** Refuses (422) a URL that reaches an internal address now, carries credentials or does not resolve. */
  private async checkUrl(url: string): Promise<void> {
    try {
      await this.egress.check(url);
    } catch (err) {
      if (!(err instanceof WebhookRefused)) throw err;
      throw new AlertException(AlertExceptionCode.WEBHOOK_URL_REFUSED, `Webhook URL ${err.message}`, [{ path: 'url', message: err.message }]);
    }
  }

  private async require(id: string, lock = false): Promise<EndpointRow> {
    const row = await this.alerts.findEndpoint(id, lock);
    if (!row) throw new AlertException(AlertExceptionCode.WEBHOOK_ENDPOINT_NOT_FOUND, `Webhook endpoint ${id} does not exist`);
    return row;
  }
}
