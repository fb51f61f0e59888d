import { Body, Controller, Get, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { UuidParam } from '../../common/http/uuid.pipe';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createCalendarRequestSchema, updateCalendarRequestSchema } from '@kept/contracts';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { MANAGERS, Roles } from '../../common/auth/auth.decorators';
import { expectedVersion, withEtag } from '../../common/http/concurrency';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor';
import { CalendarsService } from './calendars.service';

class CreateCalendarDto extends createZodDto(createCalendarRequestSchema) {}
class UpdateCalendarDto extends createZodDto(updateCalendarRequestSchema) {}

@ApiTags('calendars')
@ApiBearerAuth()
@Controller('calendars')
export class CalendarsController {
  constructor(private readonly calendars: CalendarsService) {}

  @Get()
  list() {
    return this.calendars.list();
  }

  @Roles(...MANAGERS)
  @Post()
  @Idempotent()
  create(@Body() body: CreateCalendarDto) {
    return this.calendars.create(body);
  }

  @Get(':id')
  async get(@Param('id', UuidParam) id: string, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.calendars.get(id));
  }

  @Roles(...MANAGERS)
  @Patch(':id')
  async update(
    @Param('id', UuidParam) id: string,
    @Body() body: UpdateCalendarDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return withEtag(res, await this.calendars.update(id, body, expectedVersion(req, body.version)));
  }
}
