import { Module } from '@nestjs/common';
import { RootCauseRepository } from './root-cause.repository';
import { RootCausesController } from './root-causes.controller';
import { RootCausesService } from './root-causes.service';

/** A root cause for every miss: the record, the queue of missed cases without one, corrective actions and the Pareto. */
@Module({
  controllers: [RootCausesController],
  providers: [RootCausesService, RootCauseRepository],
})
export class RootCausesModule {}
