import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { EVENTS_CHANNEL, EventEnvelope } from './event-publisher';
import { verifyPayload } from './event-signature';

export interface Subscriber {
  tenantId: string;
  role: string;
  /** The user (or API key) holding the stream, and the session version its token carries. */
  principalId: string;
  sessionVersion?: number;
  send(envelope: EventEnvelope): void;
  /**
   * Ends the stream (the process is shutting down, or the user's session ended). `final`: the process is
   * shutting down; the stream says so (a `shutdown` event) before it ends, and the client reconnects.
   */
  close(final?: boolean): void;
}

/**
 * One LISTEN connection per API process, fanned out to every open event stream of the matching
 * tenant (and role). Reconnects with backoff if PostgreSQL drops the connection; streams stay open.
 */
@Injectable()
export class EventHub implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger(EventHub.name);
  private readonly subscribers = new Set<Subscriber>();
  private client: Client | null = null;
  private stopped = false;
  private retryMs = 250;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const s of this.subscribers) s.close(true);
    this.subscribers.clear();
    await this.client?.end().catch(() => undefined);
  }

  /** Graceful shutdown: ends every open stream with a final event; returns how many there were. */
  closeAll(): number {
    const open = [...this.subscribers];
    for (const s of open) s.close(true);
    this.subscribers.clear();
    return open.length;
  }

  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** Open streams of one user (or API key) in this process. */
  countOf(principalId: string): number {
    let n = 0;
    for (const s of this.subscribers) if (s.principalId === principalId) n += 1;
    return n;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.appDatabaseUrl, application_name: 'kept-events' });
    client.on('notification', (msg) => this.dispatch(msg.payload));
    client.on('error', (err) => {
      this.log.warn(`event listener lost its connection: ${err.message}`);
      this.reconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    this.client = client;
    this.retryMs = 250;
  }

  private reconnect(): void {
    if (this.stopped) return;
    const old = this.client;
    this.client = null;
    void old?.end().catch(() => undefined);
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
    setTimeout(() => {
      this.connect().catch((err: Error) => {
        this.log.warn(`event listener could not reconnect: ${err.message}`);
        this.reconnect();
      });
    }, delay).unref();
  }

  private dispatch(payload: string | undefined): void {
    if (!payload) return;
    const json = verifyPayload(this.config.eventsKey, payload);
    if (json === null) {
      this.log.warn('dropped a kept_events notification without a valid signature');
      return;
    }
    let envelope: EventEnvelope;
    try {
      envelope = JSON.parse(json) as EventEnvelope;
    } catch {
      return;
    }
    const { session } = envelope;
    if (session) {
      for (const s of [...this.subscribers]) {
        if (s.tenantId !== envelope.tenantId || s.principalId !== session.userId) continue;
        // A user's stream closes when its session is older; an API key's (no session version) when it is revoked.
        if (s.sessionVersion === undefined || s.sessionVersion < session.version) s.close();
      }
      return;
    }
    if (!envelope.event) return;
    for (const s of this.subscribers) {
      if (s.tenantId !== envelope.tenantId) continue;
      if (envelope.roles && envelope.roles.length && !envelope.roles.includes(s.role) && s.role !== 'admin') continue;
      s.send(envelope);
    }
  }
}
