import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts';
import { ForecastController } from './forecast.controller';
import { ForecastRepository } from './forecast.repository';
import { ForecastService } from './forecast.service';
import { ForecastModelBuilder } from './model-builder';

@Module({ imports: [AlertsModule], controllers: [ForecastController], providers: [ForecastService, ForecastRepository, ForecastModelBuilder], exports: [ForecastService] })
export class ForecastModule {}
