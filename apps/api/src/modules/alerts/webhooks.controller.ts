import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createWebhookEndpointRequestSchema, updateWebhookEndpointRequestSchema } from '@kept/contracts';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { MANAGERS, Roles } from '../../common/auth/auth.decorators';
import { expectedVersion, withEtag } from '../../common/http/concurrency';
import { UuidParam } from '../../common/http/uuid.pipe';
import { WebhooksService } from './webhooks.service';

class CreateEndpointDto extends createZodDto(createWebhookEndpointRequestSchema) {}
class UpdateEndpointDto extends createZodDto(updateWebhookEndpointRequestSchema) {}

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles(...MANAGERS)
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  list() {
    return this.webhooks.list();
  }

  @Post()
  @ApiOperation({ summary: 'Add an endpoint; the response carries its whsec_ signing secret, shown only this once' })
  create(@Body() body: CreateEndpointDto) {
    return this.webhooks.create(body);
  }

  @Get(':id')
  async get(@Param('id', UuidParam) id: string, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.webhooks.get(id));
  }

  @Patch(':id')
  async update(
    @Param('id', UuidParam) id: string,
    @Body() body: UpdateEndpointDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return withEtag(res, await this.webhooks.update(id, body, expectedVersion(req, body.version)));
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The delivery log of an endpoint, newest first' })
  deliveries(@Param('id', UuidParam) id: string) {
    return this.webhooks.deliveries(id);
  }

  @Post('deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  redeliver(@Param('deliveryId', UuidParam) deliveryId: string) {
    return this.webhooks.redeliver(deliveryId);
  }
}
