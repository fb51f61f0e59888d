import { Body, Controller, Get, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createAlertPolicyRequestSchema, updateAlertPolicyRequestSchema } from '@kept/contracts';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { MANAGERS, Roles } from '../../common/auth/auth.decorators';
import { expectedVersion, withEtag } from '../../common/http/concurrency';
import { UuidParam } from '../../common/http/uuid.pipe';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor';
import { PoliciesService } from './policies.service';

class CreatePolicyDto extends createZodDto(createAlertPolicyRequestSchema) {}
class UpdatePolicyDto extends createZodDto(updateAlertPolicyRequestSchema) {}

@ApiTags('alert policies')
@ApiBearerAuth()
@Controller('alert-policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get()
  list() {
    return this.policies.list();
  }

  @Get(':id')
  async get(@Param('id', UuidParam) id: string, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.policies.get(id));
  }

  @Roles(...MANAGERS)
  @Post()
  @Idempotent()
  create(@Body() body: CreatePolicyDto) {
    return this.policies.create(body);
  }

  @Roles(...MANAGERS)
  @Patch(':id')
  async update(
    @Param('id', UuidParam) id: string,
    @Body() body: UpdatePolicyDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return withEtag(res, await this.policies.update(id, body, expectedVersion(req, body.version)));
  }
}
