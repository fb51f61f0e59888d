import { Module } from '@nestjs/common';
import { UnsubscribeController } from './unsubscribe.controller';
import { UnsubscribeService } from './unsubscribe.service';

/**
 * Optional e-mails to the customer (promise changed, engineer on the way, fix done). Rows are queued by
 * database triggers (migration 1764840000000); the worker's `deliver_customer_email` job sends them with
 * {@link CustomerEmailDeliveryService}; this module adds her public unsubscribe endpoint.
 */
@Module({
  controllers: [UnsubscribeController],
  providers: [UnsubscribeService],
})
export class CustomerEmailsModule {}
