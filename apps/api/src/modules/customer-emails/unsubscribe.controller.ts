import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { UnsubscribeResponse } from '@kept/contracts';
import type { Request, Response } from 'express';
import { Public } from '../../common/auth/auth.decorators';
import { UnsubscribeService } from './unsubscribe.service';

/** The unsubscribe link of the customer e-mails (also the RFC 8058 one-click target). */
@ApiTags('customer-emails')
@Controller('public/unsubscribe')
export class UnsubscribeController {
  constructor(private readonly service: UnsubscribeService) {}

  @Public()
  @Post(':token')
  @HttpCode(200)
  @ApiParam({ name: 'token', description: 'The unsubscribe token of her e-mails' })
  @ApiOperation({ summary: 'Stops the customer e-mails to her; idempotent, the same answer for any token' })
  async unsubscribe(@Param('token') token: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<UnsubscribeResponse> {
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    await this.service.unsubscribe(token, req.ip ?? req.socket.remoteAddress ?? 'unknown');
    return { unsubscribed: true };
  }
}
