import { Body, Controller, Get, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { UuidParam } from '../../common/http/uuid.pipe';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  createAssetRequestSchema,
  createCustomerRequestSchema,
  createSiteRequestSchema,
  updateCustomerRequestSchema,
} from '@kept/contracts';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Roles, STAFF } from '../../common/auth/auth.decorators';
import { expectedVersion, withEtag } from '../../common/http/concurrency';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor';
import { CustomersService } from './customers.service';

class CreateCustomerDto extends createZodDto(createCustomerRequestSchema) {}
class UpdateCustomerDto extends createZodDto(updateCustomerRequestSchema) {}
class CreateSiteDto extends createZodDto(createSiteRequestSchema) {}
class CreateAssetDto extends createZodDto(createAssetRequestSchema) {}
class CustomerQueryDto extends createZodDto(z.object({ q: z.string().max(200).optional() })) {}
class SiteQueryDto extends createZodDto(z.object({ customerId: z.uuid().optional() })) {}
class AssetQueryDto extends createZodDto(z.object({ siteId: z.uuid().optional() })) {}

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Get()
  @ApiQuery({ name: 'q', required: false })
  list(@Query() query: CustomerQueryDto) {
    return this.customers.list(query.q);
  }

  @Roles(...STAFF)
  @Post()
  @Idempotent()
  create(@Body() body: CreateCustomerDto) {
    return this.customers.create(body);
  }

  @Get(':id')
  async get(@Param('id', UuidParam) id: string, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.customers.get(id));
  }

  @Roles(...STAFF)
  @Patch(':id')
  async update(
    @Param('id', UuidParam) id: string,
    @Body() body: UpdateCustomerDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return withEtag(res, await this.customers.update(id, body, expectedVersion(req, body.version)));
  }
}

@ApiTags('customers')
@ApiBearerAuth()
@Controller('sites')
export class SitesController {
  constructor(private readonly customers: CustomersService) {}

  @Get()
  list(@Query() query: SiteQueryDto) {
    return this.customers.listSites(query.customerId);
  }

  @Roles(...STAFF)
  @Post()
  @Idempotent()
  create(@Body() body: CreateSiteDto) {
    return this.customers.createSite(body);
  }

  @Get(':id')
  get(@Param('id', UuidParam) id: string) {
    return this.customers.getSite(id);
  }
}

@ApiTags('customers')
@ApiBearerAuth()
@Controller('assets')
export class AssetsController {
  constructor(private readonly customers: CustomersService) {}

  @Get()
  list(@Query() query: AssetQueryDto) {
    return this.customers.listAssets(query.siteId);
  }

  @Roles(...STAFF)
  @Post()
  @Idempotent()
  create(@Body() body: CreateAssetDto) {
    return this.customers.createAsset(body);
  }
}
