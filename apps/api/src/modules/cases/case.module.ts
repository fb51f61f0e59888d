import { Module } from '@nestjs/common';
import { ForecastModule } from '../forecast/forecast.module';
import { CaseController } from './case.controller';
import { CaseRepository } from './case.repository';
import { CaseService } from './case.service';

@Module({ imports: [ForecastModule], controllers: [CaseController], providers: [CaseService, CaseRepository], exports: [CaseService] })
export class CaseModule {}
