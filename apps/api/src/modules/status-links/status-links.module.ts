import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts';
import { CaseModule } from '../cases';
import { CustomerStatusRepository } from './customer-status.repository';
import { CustomerStatusService } from './customer-status.service';
import { PublicStatusController } from './public-status.controller';
import { PublicStatusInterceptor } from './public-status.interceptor';
import { StatusLinkRepository } from './status-link.repository';
import { StatusLinksController } from './status-links.controller';
import { StatusLinksService } from './status-links.service';

/** Status links: capability URLs that show a customer the state of her case without an account. */
@Module({
  imports: [CaseModule, AlertsModule],
  controllers: [StatusLinksController, PublicStatusController],
  providers: [StatusLinksService, StatusLinkRepository, CustomerStatusService, CustomerStatusRepository, PublicStatusInterceptor],
})
export class StatusLinksModule {}
