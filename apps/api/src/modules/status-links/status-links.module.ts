import { Module } from '@nestjs/common';
import { PublicStatusController } from './public-status.controller';
import { StatusLinkRepository } from './status-link.repository';
import { StatusLinksController } from './status-links.controller';
import { StatusLinksService } from './status-links.service';

/** Status links: capability URLs that show a customer the state of her case without an account. */
@Module({
  controllers: [StatusLinksController, PublicStatusController],
  providers: [StatusLinksService, StatusLinkRepository],
})
export class StatusLinksModule {}
