import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createProposalRequestSchema, createStatusLinkRequestSchema } from '@kept/contracts';
import { createZodDto } from 'nestjs-zod';
import { CurrentPrincipal, FIELD, Roles, STAFF } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { UuidParam } from '../../common/http/uuid.pipe';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor';
import { CustomerStatusService } from './customer-status.service';
import { StatusLinksService } from './status-links.service';

class CreateStatusLinkDto extends createZodDto(createStatusLinkRequestSchema) {}
class CreateProposalDto extends createZodDto(createProposalRequestSchema) {}

@ApiTags('status-links')
@ApiBearerAuth()
@Controller()
export class StatusLinksController {
  constructor(
    private readonly links: StatusLinksService,
    private readonly customer: CustomerStatusService,
  ) {}

  @Roles(...FIELD)
  @Post('cases/:id/status-links')
  // The response holds the link's token: it is never stored in idempotency_keys, so never replayed.
  @Idempotent({ secretResponse: true })
  @ApiOperation({
    summary: 'Make a status link for the customer; the URL (with its token) is returned only here',
  })
  create(
    @Param('id', UuidParam) id: string,
    @Body() body: CreateStatusLinkDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.links.create(id, body, principal);
  }

  @Get('cases/:id/status-links')
  @ApiOperation({ summary: 'The status links of a case, without their tokens' })
  list(@Param('id', UuidParam) id: string) {
    return this.links.list(id);
  }

  @Roles(...STAFF)
  @Post('status-links/:id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a status link at once (idempotent)' })
  revoke(@Param('id', UuidParam) id: string) {
    return this.links.revoke(id);
  }

  @Roles(...STAFF)
  @Post('cases/:id/promise-proposals')
  @Idempotent()
  @ApiOperation({ summary: 'Propose a new promise to the customer (she accepts or declines it on her status page); a pending one is withdrawn' })
  propose(
    @Param('id', UuidParam) id: string,
    @Body() body: CreateProposalDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.customer.propose(id, body, principal);
  }

  @Get('cases/:id/customer-feedback')
  @ApiOperation({ summary: "The customer's survey and the promises proposed to her, with her answers" })
  feedback(@Param('id', UuidParam) id: string) {
    return this.customer.feedback(id);
  }
}
