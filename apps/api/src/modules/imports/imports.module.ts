import { Module } from '@nestjs/common';
import { ForecastModule } from '../forecast';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';

@Module({ imports: [ForecastModule], controllers: [ImportsController], providers: [ImportsService] })
export class ImportsModule {}
