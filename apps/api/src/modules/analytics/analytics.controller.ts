import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { analyticsQuerySchema, boardQuerySchema } from '@kept/contracts';
import { createZodDto } from 'nestjs-zod';
import { Roles, STAFF } from '../../common/auth/auth.decorators';
import { AnalyticsService } from './analytics.service';

class BoardQueryDto extends createZodDto(boardQuerySchema) {}
class AnalyticsQueryDto extends createZodDto(analyticsQuerySchema) {}

@ApiTags('board')
@ApiBearerAuth()
@Controller('board')
export class BoardController {
  constructor(private readonly analytics: AnalyticsService) {}

  /** Every open case ranked by risk: business time left to the promise and to the need, on the case's calendar. */
  @Get()
  board(@Query() query: BoardQueryDto) {
    return this.analytics.board(query as never);
  }

  /** Active engineers with the open cases assigned to them (step 2 of the four-step call). */
  @Roles(...STAFF)
  @Get('engineers')
  engineers() {
    return this.analytics.engineers();
  }
}

@ApiTags('analytics')
@ApiBearerAuth()
@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  /** Keep-rate per week, gap distributions and breakdowns of the cases satisfied in [from, to) (default: last 90 days). */
  @Get('summary')
  summary(@Query() query: AnalyticsQueryDto) {
    return this.analytics.summary(query as never);
  }
}
