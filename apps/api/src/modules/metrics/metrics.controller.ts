import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { NoTransaction, Public } from '../../common/auth/auth.decorators';
import { CommonException, CommonExceptionCode } from '../../common/problem/app.exception';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { Metrics } from './metrics';

/**
 * `GET /metrics` on the API's port, for Prometheus. Only with `Authorization: Bearer <METRICS_TOKEN>`;
 * without METRICS_TOKEN it does not exist here (404) and metrics are scraped from METRICS_PORT.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @NoTransaction()
  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    const token = this.config.ops.metricsToken;
    if (!token) throw new CommonException(CommonExceptionCode.NOT_FOUND, 'Not found');
    if (!bearerMatches(authorization, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new CommonException(CommonExceptionCode.UNAUTHENTICATED, 'The metrics token is missing or wrong');
    }
    const body = await this.metrics.render();
    res.status(200).type(this.metrics.contentType).send(body);
  }
}

export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
