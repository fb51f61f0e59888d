import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  budgetRequestSchema,
  caseOptionsRequestSchema,
  createOfferRequestSchema,
  customerResponseRequestSchema,
  decisionRequestSchema,
  goodwillSettingsSchema,
} from '@kept/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { CurrentPrincipal, FIELD, MANAGERS, Roles, STAFF } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { UuidParam } from '../../common/http/uuid.pipe';
import { unprocessable } from '../../common/problem/app.exception';
import { GoodwillService } from './goodwill.service';

class GoodwillSettingsDto extends createZodDto(goodwillSettingsSchema) {}
class BudgetDto extends createZodDto(budgetRequestSchema) {}
class CreateOfferDto extends createZodDto(createOfferRequestSchema) {}
class DecisionDto extends createZodDto(decisionRequestSchema) {}
class CustomerResponseDto extends createZodDto(customerResponseRequestSchema) {}
class CaseOptionsDto extends createZodDto(caseOptionsRequestSchema) {}
class BudgetQueryDto extends createZodDto(z.object({ month: z.string().regex(/^20\d\d-(0[1-9]|1[0-2])$/).optional() }).strict()) {}

/** A weak ETag `W/"n"` (or a bare number) → n; absent → null; anything else is refused. */
function versionOf(ifMatch: string | undefined): number | null {
  if (ifMatch === undefined) return null;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(ifMatch.trim());
  if (!m) throw unprocessable('If-Match must be the version read, e.g. W/"3"');
  return Number(m[1]);
}

@ApiTags('goodwill')
@ApiBearerAuth()
@Controller()
export class GoodwillController {
  constructor(private readonly goodwill: GoodwillService) {}

  @Get('goodwill/settings')
  @ApiOperation({ summary: 'Empowerment limits per role, the compensation ladder, kinds and options of the tenant' })
  settings() {
    return this.goodwill.settings();
  }

  @Roles(...MANAGERS)
  @Put('goodwill/settings')
  @ApiOperation({ summary: 'Replace the goodwill settings (If-Match: the version read, optional)' })
  updateSettings(@Body() body: GoodwillSettingsDto, @Headers('if-match') ifMatch?: string) {
    return this.goodwill.updateSettings(body, versionOf(ifMatch));
  }

  @Get('goodwill/budgets')
  @ApiOperation({ summary: "Monthly goodwill budgets per team with what is spent and left (this month's by default)" })
  budgets(@Query() q: BudgetQueryDto) {
    return this.goodwill.budgets(q.month);
  }

  @Roles(...MANAGERS)
  @Put('goodwill/budgets')
  @ApiOperation({ summary: "Set a team's budget for a month" })
  setBudget(@Body() body: BudgetDto) {
    return this.goodwill.setBudget(body);
  }

  @Get('goodwill/approvals')
  @ApiOperation({ summary: 'Offers waiting for an approval' })
  pending() {
    return this.goodwill.pending();
  }

  @Get('goodwill/analytics')
  @ApiOperation({ summary: 'Options customers take and how those cases end; goodwill by stress level; CSAT after goodwill' })
  analytics() {
    return this.goodwill.analytics();
  }

  @Get('cases/:id/goodwill')
  @ApiOperation({ summary: "A case's goodwill ledger, options offered and the suggested next step of the ladder" })
  ofCase(@Param('id', UuidParam) id: string, @CurrentPrincipal() p: Principal) {
    return this.goodwill.ofCase(id, p);
  }

  @Roles(...FIELD)
  @Post('cases/:id/goodwill/offers')
  @ApiOperation({ summary: 'Offer goodwill: given within your limit and the team budget, otherwise approval requested' })
  offer(@Param('id', UuidParam) id: string, @Body() body: CreateOfferDto, @CurrentPrincipal() p: Principal) {
    return this.goodwill.offer(id, body, p);
  }

  @Roles(...STAFF)
  @Post('goodwill/offers/:id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve an offer: only someone else whose own limit covers it' })
  approve(@Param('id', UuidParam) id: string, @Body() body: DecisionDto, @CurrentPrincipal() p: Principal) {
    return this.goodwill.decide(id, true, body, p);
  }

  @Roles(...STAFF)
  @Post('goodwill/offers/:id/deny')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deny an offer waiting for approval' })
  deny(@Param('id', UuidParam) id: string, @Body() body: DecisionDto, @CurrentPrincipal() p: Principal) {
    return this.goodwill.decide(id, false, body, p);
  }

  @Roles(...FIELD)
  @Post('goodwill/offers/:id/response')
  @HttpCode(200)
  @ApiOperation({ summary: "Record the customer's answer to an offer (once)" })
  respond(@Param('id', UuidParam) id: string, @Body() body: CustomerResponseDto, @CurrentPrincipal() p: Principal) {
    return this.goodwill.respond(id, body, p);
  }

  @Roles(...FIELD)
  @Patch('goodwill/offers/:id')
  @ApiOperation({ summary: 'Refused: offers are append-only' })
  patchOffer(@Param('id', UuidParam) _id: string) {
    return this.goodwill.appendOnly();
  }

  @Roles(...FIELD)
  @Delete('goodwill/offers/:id')
  @ApiOperation({ summary: 'Refused: offers are append-only' })
  deleteOffer(@Param('id', UuidParam) _id: string) {
    return this.goodwill.appendOnly();
  }

  @Roles(...FIELD)
  @Post('cases/:id/options')
  @ApiOperation({ summary: 'Record the options offered instead of a no, and the one the customer chose' })
  options(@Param('id', UuidParam) id: string, @Body() body: CaseOptionsDto, @CurrentPrincipal() p: Principal) {
    return this.goodwill.recordOptions(id, body, p);
  }
}
