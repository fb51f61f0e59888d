import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PublicCaseStatus } from '@kept/contracts';
import type { Request, Response } from 'express';
import { Public } from '../../common/auth/auth.decorators';
import { RateLimiter } from './rate-limiter';
import { StatusLinkException, StatusLinkExceptionCode } from './status-link.exception';
import { StatusLinksService } from './status-links.service';

/** Per client IP: a burst of 30, then one request every 2 seconds. */
export const PUBLIC_STATUS_BURST = 30;
const REFILL_PER_SECOND = 0.5;

/** The customer's status page data: no log-in, no tenant transaction; the token is the capability. */
@ApiTags('status-links')
@Controller('public/status')
export class PublicStatusController {
  private readonly limiter = new RateLimiter(PUBLIC_STATUS_BURST, REFILL_PER_SECOND);

  constructor(private readonly links: StatusLinksService) {}

  @Public()
  @Get(':token')
  @ApiOperation({
    summary: 'The minimal public view of a case behind a live status link (404 otherwise)',
  })
  view(
    @Param('token') token: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PublicCaseStatus> {
    // Set first, so that errors (404, 429) carry them too.
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    const wait = this.limiter.take(req.ip ?? req.socket.remoteAddress ?? 'unknown', Date.now());
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
