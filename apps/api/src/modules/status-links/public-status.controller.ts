import { createHash } from 'node:crypto';
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PublicCaseStatus } from '@kept/contracts';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { Public } from '../../common/auth/auth.decorators';
import { PgThrottlerStorage } from '../../common/http/pg-throttler.storage';
import { StatusLinkException, StatusLinkExceptionCode } from './status-link.exception';
import { StatusLinksService } from './status-links.service';

/**
 * Per client address (X-Forwarded-For only from TRUST_PROXY): 30 look-ups a minute, then blocked for the
 * rest of a minute. Counted in PostgreSQL, so every API process shares the counters.
 */
export const PUBLIC_STATUS_BURST = 30;
const WINDOW_MS = 60_000;

/** The customer's status page data: no log-in, no tenant transaction; the token is the capability. */
@ApiTags('status-links')
@Controller('public/status')
export class PublicStatusController {
  private readonly limiter: PgThrottlerStorage;

  constructor(
    private readonly links: StatusLinksService,
    @InjectDataSource() dataSource: DataSource,
  ) {
    this.limiter = new PgThrottlerStorage(dataSource);
  }

  @Public()
  @Get(':token')
  @ApiOperation({
    summary: 'The minimal public view of a case behind a live status link (404 otherwise)',
  })
  async view(
    @Param('token') token: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PublicCaseStatus> {
    // Set first, so that errors (404, 429) carry them too.
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    const client = createHash('sha256').update(req.ip ?? req.socket.remoteAddress ?? 'unknown').digest('hex');
    const hit = await this.limiter.increment(client, WINDOW_MS, PUBLIC_STATUS_BURST, WINDOW_MS, 'public-status');
    const wait = hit.isBlocked ? Math.max(1, hit.timeToBlockExpire) : 0;
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      throw new StatusLinkException(
        StatusLinkExceptionCode.STATUS_LINK_RATE_LIMITED,
        `Too many status look-ups; try again in ${wait} s`,
      );
    }
    return this.links.view(token);
  }
}
