import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createStatusLinkRequestSchema } from '@kept/contracts';
import { createZodDto } from 'nestjs-zod';
import { CurrentPrincipal, FIELD, Roles, STAFF } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { UuidParam } from '../../common/http/uuid.pipe';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor';
import { StatusLinksService } from './status-links.service';

class CreateStatusLinkDto extends createZodDto(createStatusLinkRequestSchema) {}

@ApiTags('status-links')
@ApiBearerAuth()
@Controller()
export class StatusLinksController {
  constructor(private readonly links: StatusLinksService) {}

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
}
