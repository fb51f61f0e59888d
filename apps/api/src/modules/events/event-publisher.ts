import { Inject, Injectable } from '@nestjs/common';
import type { AlertResponse, KeptEvent } from '@kept/contracts';
import { sqlOfManager } from '../../common/database/sql';
import { TenantContext } from '../../common/database/tenant-context';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { signPayload } from './event-signature';

/** The PostgreSQL channel every API process listens on to feed its Server-Sent Events streams. */
export const EVENTS_CHANNEL = 'kept_events';

/** What travels on the channel (signed): the tenant it belongs to, who may see it, and the event itself. */
export interface EventEnvelope {
  tenantId: string;
  /** Roles that receive it; absent = every role of the tenant. */
  roles?: string[];
  event?: KeptEvent;
  /**
   * Not relayed to clients: a user's sessions older than `version` ended (deactivated, role or password
   * changed, signed out everywhere); every process closes that user's streams at once.
   */
  session?: { userId: string; version: number };
}

/**
 * Publishes live events with NOTIFY in the caller's tenant transaction (a request's, or a worker job's:
 * both run through {@link TenantContext}). Listeners receive an event only when that transaction
 * commits, so nobody hears of an alert or a change that was rolled back. Every module that tells the
 * live streams something injects this; none writes to the channel itself.
 */
@Injectable()
export class EventPublisher {
  constructor(
    private readonly tenant: TenantContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** An alert fired, was acknowledged or snoozed; `roles` limits who hears of it (absent = everyone). */
  publishAlert(alert: AlertResponse, roles?: string[]): Promise<void> {
    return this.publish({ tenantId: this.tenant.tenantId, roles, event: { type: 'alert', alert } });
  }

  /**
   * Many alerts fired (a firing batch): one notice per alert, as {@link publishAlert} sends it, all in one
   * statement instead of a round trip each.
   */
  async publishAlerts(alerts: AlertResponse[]): Promise<void> {
    if (!alerts.length) return;
    const payloads = alerts.map((alert) =>
      signPayload(this.config.eventsKey, JSON.stringify({ tenantId: this.tenant.tenantId, event: { type: 'alert', alert } } satisfies EventEnvelope)),
    );
    await sqlOfManager(this.tenant.manager)(`SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS x(p, i) ORDER BY i`, [EVENTS_CHANNEL, payloads]);
  }

  /** A case changed: its new version and status (clients refetch what they show). */
  publishCase(c: { id: string; version: number; status: string }): Promise<void> {
    return this.publish(this.caseEnvelope(c));
  }

  /**
   * The notice of {@link publishCase} as `pg_notify(channel, payload)` arguments, for a caller that sends
   * it inside a statement of its own (a create's insert) instead of a round trip of its own. The same
   * rules hold: signed like every payload, delivered only when the transaction commits.
   */
  caseNotice(c: { id: string; version: number; status: string }): { channel: string; payload: string } {
    return { channel: EVENTS_CHANNEL, payload: signPayload(this.config.eventsKey, JSON.stringify(this.caseEnvelope(c))) };
  }

  private caseEnvelope(c: { id: string; version: number; status: string }): EventEnvelope {
    return { tenantId: this.tenant.tenantId, event: { type: 'case', caseId: c.id, version: c.version, status: c.status } };
  }

  /**
   * A user's sessions before `version` ended (or, for an API key's id, the key was revoked): their live
   * streams close in every API process once the transaction commits.
   */
  publishSessionEnded(userId: string, version: number): Promise<void> {
    return this.publish({ tenantId: this.tenant.tenantId, session: { userId, version } });
  }

  private async publish(envelope: EventEnvelope): Promise<void> {
    const payload = signPayload(this.config.eventsKey, JSON.stringify(envelope));
    await sqlOfManager(this.tenant.manager)(`SELECT pg_notify($1, $2)`, [EVENTS_CHANNEL, payload]);
  }
}
