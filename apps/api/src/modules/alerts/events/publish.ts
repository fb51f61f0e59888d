import type { AlertResponse, KeptEvent } from '@kept/contracts';
import type { Sql } from '../sql';

/** The PostgreSQL channel every API process listens on to feed its Server-Sent Events streams. */
export const EVENTS_CHANNEL = 'kept_events';

/** What travels on the channel: the tenant it belongs to, who may see it, and the event itself. */
export interface EventEnvelope {
  tenantId: string;
  /** Roles that receive it; absent = every role of the tenant. */
  roles?: string[];
  event: KeptEvent;
}

/**
 * Publishes an event with NOTIFY in the caller's transaction: listeners receive it only when the
 * transaction commits, so nobody hears of an alert or a change that was rolled back.
 */
export async function publish(sql: Sql, envelope: EventEnvelope): Promise<void> {
  await sql(`SELECT pg_notify($1, $2)`, [EVENTS_CHANNEL, JSON.stringify(envelope)]);
}

export const publishAlert = (sql: Sql, tenantId: string, alert: AlertResponse, roles?: string[]) =>
  publish(sql, { tenantId, roles, event: { type: 'alert', alert } });

export const publishCase = (sql: Sql, tenantId: string, c: { id: string; version: number; status: string }) =>
  publish(sql, { tenantId, event: { type: 'case', caseId: c.id, version: c.version, status: c.status } });
