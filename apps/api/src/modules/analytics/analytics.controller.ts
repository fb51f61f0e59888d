import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { analyticsQuerySchema } from '@kept/contracts';
import { createZodDto } from 'nestjs-zod';
import { AnalyticsService } from './analytics.service';

class AnalyticsQueryDto extends createZodDto(analyticsQuerySchema) {}

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

  /** Keep-rate, gaps and CSAT by the customer's stress level (her survey's, else the intake's), same range and filters. */
  @Get('stress')
  stress(@Query() query: AnalyticsQueryDto) {
    return this.analytics.byStress(query as never);
  }
}
