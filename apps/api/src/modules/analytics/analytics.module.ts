import { Module } from '@nestjs/common';
import { CaseRepository } from '../cases/case.repository';
import { ForecastModule } from '../forecast/forecast.module';
import { AnalyticsController, BoardController } from './analytics.controller';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';

/** Read-only: the dispatcher board and the analytics aggregates. */
@Module({
  imports: [ForecastModule],
  controllers: [BoardController, AnalyticsController],
  providers: [AnalyticsService, AnalyticsRepository, CaseRepository],
})
export class AnalyticsModule {}
