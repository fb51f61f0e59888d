import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts';
import { ForecastController } from './forecast.controller';
import { ForecastRepository } from './forecast.repository';
import { ForecastService } from './forecast.service';

@Module({ imports: [AlertsModule], controllers: [ForecastController], providers: [ForecastService, ForecastRepository], exports: [ForecastService] })
export class ForecastModule {}
