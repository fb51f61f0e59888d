import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts';
import { CaseRepository } from '../cases';
import { ForecastModule } from '../forecast';
import { AnalyticsController, BoardController } from './analytics.controller';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';

/** Read-only: the dispatcher board and the analytics aggregates. */
@Module({
  imports: [ForecastModule, AlertsModule],
  controllers: [BoardController, AnalyticsController],
  providers: [AnalyticsService, AnalyticsRepository, CaseRepository],
})
export class AnalyticsModule {}
