import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { UuidParam } from '../../common/http/uuid.pipe';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import {
  assignCaseRequestSchema,
  createCaseRequestSchema,
  keepProbabilityRequestSchema,
  listCasesQuerySchema,
  pauseRequestSchema,
  recordMilestoneRequestSchema,
  repromiseRequestSchema,
  transitionRequestSchema,
  updateCaseRequestSchema,
} from '@kept/contracts';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { CurrentPrincipal, FIELD, Roles, STAFF } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { expectedVersion, setEtag, withEtag } from '../../common/http/concurrency';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor';
import { CaseCreator } from './case-creator.service';
import { CaseService } from './case.service';

class CreateCaseDto extends createZodDto(createCaseRequestSchema) {}
class ListCasesQueryDto extends createZodDto(listCasesQuerySchema) {}
class UpdateCaseDto extends createZodDto(updateCaseRequestSchema) {}
class RepromiseDto extends createZodDto(repromiseRequestSchema) {}
class AssignCaseDto extends createZodDto(assignCaseRequestSchema) {}
class KeepProbabilityDto extends createZodDto(keepProbabilityRequestSchema) {}
class PauseDto extends createZodDto(pauseRequestSchema) {}
class TransitionDto extends createZodDto(transitionRequestSchema) {}
class RecordMilestoneDto extends createZodDto(recordMilestoneRequestSchema) {}

const IfMatch = () =>
  ApiHeader({ name: 'If-Match', required: false, description: 'W/"<version>" as last read (or send "version" in the body)' });

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CaseController {
  constructor(
    private readonly cases: CaseService,
    private readonly creator: CaseCreator,
  ) {}

  /** Opens a case with any of the four times known at intake. */
  @Roles(...STAFF)
  @Post()
  @Idempotent()
  async create(@Body() body: CreateCaseDto, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: Response) {
    const c = await this.creator.create(body, p);
    setEtag(res, c.version);
    res.setHeader('Location', `/api/v1/cases/${c.id}`);
    return c;
  }

  /** Newest opened first, keyset-paginated with `cursor` = the previous page's `nextCursor`. */
  @Get()
  list(@Query() query: ListCasesQueryDto) {
    return this.cases.list(query as never);
  }

  /** The case with its ledger, milestones, pauses, promise versions and computed gaps. */
  @Get(':id')
  async get(@Param('id', UuidParam) id: string, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.cases.get(id));
  }

  @Roles(...STAFF)
  @Patch(':id')
  @IfMatch()
  async update(@Param('id', UuidParam) id: string, @Body() body: UpdateCaseDto, @Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() p: Principal) {
    return withEtag(res, await this.cases.update(id, body, expectedVersion(req, body.version), p));
  }

  /** A new promise version; the old one stays in the ledger with the reason for the change. */
  @Roles(...STAFF)
  @Post(':id/promise')
  @HttpCode(200)
  @IfMatch()
  async repromise(@Param('id', UuidParam) id: string, @Body() body: RepromiseDto, @Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() p: Principal) {
    return withEtag(res, await this.cases.repromise(id, body, expectedVersion(req, body.version), p));
  }

  /** The keep-probability a re-promise at `promisedAt` would be stored with, given the case is still open now. */
  @Roles(...STAFF)
  @Post(':id/keep-probability')
  @HttpCode(200)
  keepProbability(@Param('id', UuidParam) id: string, @Body() body: KeepProbabilityDto) {
    return this.cases.keepProbabilityOf(id, body.promisedAt);
  }

  /** Who works on the case (dispatchers, managers, admins); the change is a ledger entry with its reason. */
  @Roles(...STAFF)
  @Put(':id/assignment')
  @IfMatch()
  async assign(@Param('id', UuidParam) id: string, @Body() body: AssignCaseDto, @Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() p: Principal) {
    return withEtag(res, await this.cases.assign(id, body, expectedVersion(req, body.version), p));
  }

  @Roles(...FIELD)
  @Post(':id/pause')
  @HttpCode(200)
  @IfMatch()
  async pause(@Param('id', UuidParam) id: string, @Body() body: PauseDto, @Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() p: Principal) {
    return withEtag(res, await this.cases.pause(id, body, expectedVersion(req, body.version), p));
  }

  @Roles(...FIELD)
  @Post(':id/resume')
  @HttpCode(200)
  @IfMatch()
  async resume(@Param('id', UuidParam) id: string, @Body() body: TransitionDto, @Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() p: Principal) {
    return withEtag(res, await this.cases.resume(id, body, expectedVersion(req, body.version), p));
  }

  @Roles(...FIELD)
  @Post(':id/milestones')
  // The engineer's phone queues taps offline and resends them: the same key is never recorded twice.
  @Idempotent()
  @IfMatch()
  async milestone(@Param('id', UuidParam) id: string, @Body() body: RecordMilestoneDto, @Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() p: Principal) {
    return withEtag(res, await this.cases.recordMilestone(id, body, expectedVersion(req, body.version), p));
  }

  @Roles(...FIELD)
  @Post(':id/fixed')
  @HttpCode(200)
  @Idempotent()
  @IfMatch()
  async fixed(@Param('id', UuidParam) id: string, @Body() body: TransitionDto, @Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() p: Principal) {
    return withEtag(res, await this.cases.markFixed(id, body, expectedVersion(req, body.version), p));
  }

  @Roles(...STAFF)
  @Post(':id/satisfied')
  @HttpCode(200)
  @IfMatch()
  async satisfied(@Param('id', UuidParam) id: string, @Body() body: TransitionDto, @Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() p: Principal) {
    return withEtag(res, await this.cases.markSatisfied(id, body, expectedVersion(req, body.version), p));
  }

  @Roles(...STAFF)
  @Post(':id/cancel')
  @HttpCode(200)
  @IfMatch()
  async cancel(@Param('id', UuidParam) id: string, @Body() body: TransitionDto, @Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() p: Principal) {
    return withEtag(res, await this.cases.cancel(id, body, expectedVersion(req, body.version), p));
  }
}
