import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts';
import { EventsModule } from '../events';
import { ForecastModule } from '../forecast';
import { CaseController } from './case.controller';
import { CaseRepository } from './case.repository';
import { CaseCreator } from './case-creator.service';
import { CaseService } from './case.service';

@Module({ imports: [AlertsModule, EventsModule, ForecastModule], controllers: [CaseController], providers: [CaseService, CaseCreator, CaseRepository], exports: [CaseService] })
export class CaseModule {}
