import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AllowQueryToken, CurrentPrincipal, NoTransaction } from '../../common/auth/auth.decorators';
import { Principal, sessionCheckOf } from '../../common/auth/principal';
import { TenantContext } from '../../common/database/tenant-context';
import { CommonException, CommonExceptionCode } from '../../common/problem/app.exception';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { EventHub } from './event-hub';
import type { EventEnvelope } from './event-publisher';
import { EventsException, EventsExceptionCode } from './events.exception';

const HEARTBEAT_MS = 15_000;
/** setTimeout's ceiling (≈24.8 days); a longer-lived token is re-armed by the client's reconnect anyway. */
const MAX_TIMER_MS = 2_147_483_647;

@ApiTags('events')
@ApiBearerAuth()
@Controller('events')
export class EventsController {
  constructor(
    private readonly hub: EventHub,
    private readonly tenant: TenantContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A stream lives no longer than its token: it closes when the token expires (a timer), when the user's
   * session ends (the signed session notification, from any API process) and when the process stops. The
   * client reconnects with a fresh token. A user may hold a few streams per process (429 beyond).
   */
  @Get()
  @AllowQueryToken()
  @NoTransaction()
  @ApiOperation({ summary: 'Live Server-Sent Events of the tenant: `alert` (fired, acknowledged, snoozed) and `case` (changed)' })
  @ApiQuery({ name: 'access_token', required: false, description: 'The access token, for EventSource (cannot send headers)' })
  async stream(@CurrentPrincipal() principal: Principal, @Res() res: Response): Promise<void> {
    if (this.hub.countOf(principal.id) >= this.config.eventStreamsPerUser) {
      throw new EventsException(
        EventsExceptionCode.TOO_MANY_STREAMS,
        `At most ${this.config.eventStreamsPerUser} event streams may be open at once; close one first`,
      );
    }
    // Until the session check passed and the headers are out, events are held back (a write would send
    // the headers too early, without the event-stream type) and a revocation only marks the stream.
    let ready = false;
    let revoked = false;
    let closed = false;
    const held: EventEnvelope[] = [];
    const timers: { heartbeat?: ReturnType<typeof setInterval>; expiry?: ReturnType<typeof setTimeout> } = {};
    let seq = 0;
    const write = (envelope: EventEnvelope) => {
      if (!envelope.event) return;
      seq += 1;
      res.write(`id: ${Date.now()}-${seq}\nevent: ${envelope.event.type}\ndata: ${JSON.stringify(envelope.event)}\n\n`);
    };
    const close = (final?: boolean) => {
      if (!ready) {
        revoked = true; // the check below answers 401 (or nobody is listening any more)
        return;
      }
      if (closed) return;
      closed = true;
      clearInterval(timers.heartbeat);
      clearTimeout(timers.expiry);
      unsubscribe();
      // The process is shutting down: say so, then end; EventSource reconnects (through the balancer, elsewhere).
      if (final && !res.writableEnded) res.write('event: shutdown\ndata: {"reconnect":true}\n\n');
      res.end();
    };
    // Subscribed before the session check, so a revocation committed in between is not missed.
    const unsubscribe = this.hub.subscribe({
      tenantId: principal.tenantId,
      role: principal.role,
      principalId: principal.id,
      sessionVersion: principal.sessionVersion,
      send: (envelope) => (ready ? write(envelope) : held.push(envelope)),
      close,
    });
    // The client going away (at any point, even during the check below) ends the subscription.
    res.on('close', () => close());
    try {
      // This route holds no transaction: check the session (active, current version) once here.
      await this.tenant.run(principal.tenantId, async () => undefined, sessionCheckOf(principal));
      if (revoked) throw new CommonException(CommonExceptionCode.UNAUTHENTICATED, 'The session has ended; sign in again');
    } catch (err) {
      unsubscribe();
      throw err;
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 3000\n: connected\n\n');
    ready = true;
    for (const envelope of held.splice(0)) write(envelope);
    timers.heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    if (principal.expiresAt !== undefined) {
      timers.expiry = setTimeout(close, Math.min(Math.max(0, principal.expiresAt - Date.now()), MAX_TIMER_MS));
    }
  }
}
