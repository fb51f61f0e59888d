import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { boardQuerySchema } from '@kept/contracts';
import { createZodDto } from 'nestjs-zod';
import { Roles, STAFF } from '../../common/auth/auth.decorators';
import { BoardService } from './board.service';

class BoardQueryDto extends createZodDto(boardQuerySchema) {}

@ApiTags('board')
@ApiBearerAuth()
@Controller('board')
export class BoardController {
  constructor(private readonly service: BoardService) {}

  /**
   * Open, paused and fixed cases, most urgent first (missed, at risk, on track, fixed; then the earliest
   * deadline), a page at a time (`limit`, default 100, max 500; `cursor` from `nextCursor`), with exact
   * counts per risk class and business time left on each case's calendar.
   */
  @Get()
  board(@Query() query: BoardQueryDto) {
    return this.service.page(query as never);
  }

  /** Active engineers with the open cases assigned to them (step 2 of the four-step call). */
  @Roles(...STAFF)
  @Get('engineers')
  engineers() {
    return this.service.engineers();
  }
}
