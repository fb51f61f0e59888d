import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AllowQueryToken, CurrentPrincipal, NoTransaction } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { EventHub } from './event-hub';

const HEARTBEAT_MS = 15_000;

@ApiTags('events')
@ApiBearerAuth()
@Controller('events')
export class EventsController {
  constructor(private readonly hub: EventHub) {}

  @Get()
  @AllowQueryToken()
  @NoTransaction()
  @ApiOperation({ summary: 'Live Server-Sent Events of the tenant: `alert` (fired, acknowledged, snoozed) and `case` (changed)' })
  @ApiQuery({ name: 'access_token', required: false, description: 'The access token, for EventSource (cannot send headers)' })
  stream(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res() res: Response): void {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 3000\n: connected\n\n');
    let seq = 0;
    const unsubscribe = this.hub.subscribe({
      tenantId: principal.tenantId,
      role: principal.role,
      send: (envelope) => {
        seq += 1;
        res.write(`id: ${Date.now()}-${seq}\nevent: ${envelope.event.type}\ndata: ${JSON.stringify(envelope.event)}\n\n`);
      },
      close: () => res.end(),
    });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  }
}
