import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PgThrottlerStorage } from '../../common/http/pg-throttler.storage';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { CustomerEmailException, CustomerEmailExceptionCode } from './customer-email.exception';
import { customerOfUnsubscribeToken } from './customer-email.tokens';

/** Unsubscribe requests per client address and minute. */
export const UNSUBSCRIBE_BURST = 20;
const WINDOW_MS = 60_000;

/**
 * Her unsubscribe link: a valid token stops every further customer e-mail to her (and skips those still
 * waiting) through the SECURITY DEFINER function `kept_unsubscribe_customer`, before any tenant is known.
 * Idempotent; a forged, damaged or unknown token changes nothing and gets the very same answer.
 */
@Injectable()
export class UnsubscribeService {
  private readonly limiter: PgThrottlerStorage;
  private readonly secret: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.limiter = new PgThrottlerStorage(dataSource);
    this.secret = config.jwtSecret;
  }

  async unsubscribe(token: string, clientAddress: string): Promise<{ retryAfter: number } | null> {
    const client = createHash('sha256').update(clientAddress).digest('hex');
    const hit = await this.limiter.increment(client, WINDOW_MS, UNSUBSCRIBE_BURST, WINDOW_MS, 'public-unsubscribe');
    if (hit.isBlocked) {
      throw new CustomerEmailException(
        CustomerEmailExceptionCode.UNSUBSCRIBE_RATE_LIMITED,
        `Too many requests; try again in ${Math.max(1, hit.timeToBlockExpire)} s`,
      );
    }
    const customerId = customerOfUnsubscribeToken(this.secret, token);
    if (customerId) await this.dataSource.query(`SELECT kept_unsubscribe_customer($1)`, [customerId]);
    return null;
  }
}
