import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createRootCauseRequestSchema, rootCauseAnalyticsQuerySchema } from '@kept/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { CurrentPrincipal, FIELD, Roles, STAFF } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { UuidParam } from '../../common/http/uuid.pipe';
import { RootCausesService } from './root-causes.service';

class CreateRootCauseDto extends createZodDto(createRootCauseRequestSchema) {}
class AnalyticsQueryDto extends createZodDto(rootCauseAnalyticsQuerySchema) {}
class ListQueryDto extends createZodDto(z.object({ open: z.enum(['true', 'false']).optional() }).strict()) {}

@ApiTags('root-causes')
@ApiBearerAuth()
@Controller()
export class RootCausesController {
  constructor(private readonly rootCauses: RootCausesService) {}

  @Roles(...FIELD)
  @Post('cases/:id/root-cause')
  @ApiOperation({ summary: 'Record the root cause of a missed case (once): category, five whys, corrective action, owner, due date' })
  record(@Param('id', UuidParam) id: string, @Body() body: CreateRootCauseDto, @CurrentPrincipal() p: Principal) {
    return this.rootCauses.record(id, body, p);
  }

  @Get('cases/:id/root-cause')
  @ApiOperation({ summary: "The case's root cause, or null" })
  async ofCase(@Param('id', UuidParam) id: string) {
    return { rootCause: await this.rootCauses.ofCase(id) };
  }

  @Get('root-causes')
  @ApiOperation({ summary: 'Root causes with their corrective actions (open=true: not done yet)' })
  list(@Query() q: ListQueryDto) {
    return this.rootCauses.list(q.open === 'true');
  }

  @Get('root-causes/queue')
  @ApiOperation({ summary: 'Cases satisfied after their promise or need that still have no root cause' })
  queue() {
    return this.rootCauses.queue();
  }

  @Get('root-causes/analytics')
  @ApiOperation({ summary: 'Pareto of causes (count and hours lost), causes by category and team, open and overdue actions' })
  analytics(@Query() q: AnalyticsQueryDto) {
    return this.rootCauses.analytics(q.from, q.to);
  }

  @Roles(...STAFF)
  @Post('root-causes/:id/done')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark the corrective action done (once)' })
  done(@Param('id', UuidParam) id: string) {
    return this.rootCauses.done(id);
  }

  @Roles(...FIELD)
  @Patch('root-causes/:id')
  @ApiOperation({ summary: 'Refused: root causes are append-only' })
  patch(@Param('id', UuidParam) _id: string) {
    return this.rootCauses.appendOnly();
  }

  @Roles(...FIELD)
  @Delete('root-causes/:id')
  @ApiOperation({ summary: 'Refused: root causes are append-only' })
  remove(@Param('id', UuidParam) _id: string) {
    return this.rootCauses.appendOnly();
  }
}
