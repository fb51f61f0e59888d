import { Body, Controller, Get, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { UuidParam } from '../../common/http/uuid.pipe';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createContractRequestSchema, updateContractRequestSchema } from '@kept/contracts';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { MANAGERS, Roles } from '../../common/auth/auth.decorators';
import { expectedVersion, withEtag } from '../../common/http/concurrency';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor';
import { ContractsService } from './contracts.service';

class CreateContractDto extends createZodDto(createContractRequestSchema) {}
class UpdateContractDto extends createZodDto(updateContractRequestSchema) {}
class ContractQueryDto extends createZodDto(z.object({ customerId: z.uuid().optional() })) {}

@ApiTags('contracts')
@ApiBearerAuth()
@Controller('contracts')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Get()
  list(@Query() query: ContractQueryDto) {
    return this.contracts.list(query.customerId);
  }

  @Roles(...MANAGERS)
  @Post()
  @Idempotent()
  create(@Body() body: CreateContractDto) {
    return this.contracts.create(body);
  }

  @Get(':id')
  async get(@Param('id', UuidParam) id: string, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.contracts.get(id));
  }

  @Roles(...MANAGERS)
  @Patch(':id')
  async update(
    @Param('id', UuidParam) id: string,
    @Body() body: UpdateContractDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return withEtag(res, await this.contracts.update(id, body, expectedVersion(req, body.version)));
  }
}
