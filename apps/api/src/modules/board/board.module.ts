import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts';
import { CaseRepository } from '../cases';
import { ForecastModule } from '../forecast';
import { BoardController } from './board.controller';
import { BoardRepository } from './board.repository';
import { BoardService } from './board.service';

/** Read-only: the dispatcher board (open work by risk class, a page at a time) and the engineers' load. */
@Module({
  imports: [ForecastModule, AlertsModule],
  controllers: [BoardController],
  providers: [BoardService, BoardRepository, CaseRepository],
})
export class BoardModule {}
