import { Body, Controller, Get, HttpCode, Post, Req, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  answerProposalRequestSchema,
  confirmSatisfiedRequestSchema,
  PublicCaseStatus,
  reportNotFixedRequestSchema,
  surveyRequestSchema,
} from '@kept/contracts';
import { createZodDto } from 'nestjs-zod';
import { Public } from '../../common/auth/auth.decorators';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor';
import { CustomerStatusService } from './customer-status.service';
import type { LinkScope } from './customer-status.repository';
import { PublicStatusInterceptor, type ScopedRequest } from './public-status.interceptor';
import { statusLinkNotFound } from './status-link.exception';

export { PUBLIC_STATUS_BURST, PUBLIC_ACTION_BURST } from './public-status.interceptor';

class AnswerProposalDto extends createZodDto(answerProposalRequestSchema) {}
class ConfirmSatisfiedDto extends createZodDto(confirmSatisfiedRequestSchema) {}
class ReportNotFixedDto extends createZodDto(reportNotFixedRequestSchema) {}
class SurveyDto extends createZodDto(surveyRequestSchema) {}

const scopeOf = (req: ScopedRequest): LinkScope => {
  if (!req.statusScope) throw statusLinkNotFound();
  return req.statusScope;
};

/**
 * The customer's status page: what she sees and what she may do, through the link's token only. Each
 * action is rate limited, honours Idempotency-Key, answers 409 in the wrong state and lands in the ledger
 * with the actor `customer`.
 */
@ApiTags('status-links')
@Controller('public/status/:token')
@UseInterceptors(PublicStatusInterceptor)
@ApiParam({ name: 'token', description: 'The status link token (43 base64url characters)' })
export class PublicStatusController {
  constructor(private readonly service: CustomerStatusService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'The public view of a case behind a live status link (404 otherwise)' })
  view(@Req() req: ScopedRequest): Promise<PublicCaseStatus> {
    return this.service.view(scopeOf(req));
  }

  @Public()
  @Post('proposal/accept')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'The customer accepts the proposed new promise: it becomes the promise (409 unless pending)' })
  accept(@Req() req: ScopedRequest, @Body() body: AnswerProposalDto): Promise<PublicCaseStatus> {
    return this.service.acceptProposal(scopeOf(req), body);
  }

  @Public()
  @Post('proposal/decline')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'The customer declines the proposed new promise; the dispatcher is alerted (409 unless pending)' })
  decline(@Req() req: ScopedRequest, @Body() body: AnswerProposalDto): Promise<PublicCaseStatus> {
    return this.service.declineProposal(scopeOf(req), body);
  }

  @Public()
  @Post('satisfied')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'The customer confirms she is satisfied: sets satisfiedAt (409 unless the case is fixed)' })
  satisfied(@Req() req: ScopedRequest, @Body() _body: ConfirmSatisfiedDto): Promise<PublicCaseStatus> {
    return this.service.confirmSatisfied(scopeOf(req));
  }

  @Public()
  @Post('not-fixed')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'The customer says it is not fixed: the case reopens and the dispatcher is alerted (409 unless fixed)' })
  notFixed(@Req() req: ScopedRequest, @Body() body: ReportNotFixedDto): Promise<PublicCaseStatus> {
    return this.service.reportNotFixed(scopeOf(req), body);
  }

  @Public()
  @Post('survey')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'The customer rates the service (CSAT 1–5) and her stress (1–5); changeable for 24 h (409 after, or before the fix)' })
  survey(@Req() req: ScopedRequest, @Body() body: SurveyDto): Promise<PublicCaseStatus> {
    return this.service.answerSurvey(scopeOf(req), body);
  }
}
