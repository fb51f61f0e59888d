import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts';
import { GoodwillController } from './goodwill.controller';
import { GoodwillRepository } from './goodwill.repository';
import { GoodwillService } from './goodwill.service';

/** Goodwill within empowerment limits, the offer ledger with approvals, budgets, and options instead of a no. */
@Module({
  imports: [AlertsModule],
  controllers: [GoodwillController],
  providers: [GoodwillService, GoodwillRepository],
})
export class GoodwillModule {}
