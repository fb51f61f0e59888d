import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  acceptRepromiseRequestSchema,
  ATTACHMENT_CONTENT_TYPES,
  ATTACHMENT_MAX_BYTES,
  createRepromiseRequestSchema,
  declineRepromiseRequestSchema,
  uploadAttachmentQuerySchema,
} from '@kept/contracts';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { CurrentPrincipal, FIELD, Roles, STAFF } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { expectedVersion } from '../../common/http/concurrency';
import { UuidParam } from '../../common/http/uuid.pipe';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor';
import { unsupportedType } from './field.exception';
import { declaredType, FieldService } from './field.service';
import { readBody } from './upload-body';

class CreateRepromiseRequestDto extends createZodDto(createRepromiseRequestSchema) {}
class AcceptRepromiseRequestDto extends createZodDto(acceptRepromiseRequestSchema) {}
class DeclineRepromiseRequestDto extends createZodDto(declineRepromiseRequestSchema) {}
class UploadAttachmentQueryDto extends createZodDto(uploadAttachmentQuerySchema) {}

@ApiTags('field')
@ApiBearerAuth()
@Controller()
export class FieldController {
  constructor(private readonly field: FieldService) {}

  @Roles(...FIELD)
  @Post('cases/:id/repromise-requests')
  @Idempotent()
  @ApiOperation({ summary: 'The engineer asks for a new promise (proposed time and reason); the dispatcher is alerted' })
  requestRepromise(@Param('id', UuidParam) id: string, @Body() body: CreateRepromiseRequestDto, @CurrentPrincipal() p: Principal) {
    return this.field.requestRepromise(id, body, p);
  }

  @Get('cases/:id/repromise-requests')
  @ApiOperation({ summary: 'The re-promise requests of a case, newest first' })
  repromiseRequests(@Param('id', UuidParam) id: string) {
    return this.field.repromiseRequests(id);
  }

  @Roles(...STAFF)
  @Post('repromise-requests/:id/accept')
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: 'W/"<version>" of the case as last read (or send "version")' })
  @ApiOperation({ summary: 'Accept a re-promise request: the re-promise is made at the proposal or at the edited promisedAt' })
  accept(@Param('id', UuidParam) id: string, @Body() body: AcceptRepromiseRequestDto, @Req() req: Request, @CurrentPrincipal() p: Principal) {
    return this.field.accept(id, body, expectedVersion(req, body.version), p);
  }

  @Roles(...STAFF)
  @Post('repromise-requests/:id/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline a re-promise request with a note to the engineer' })
  decline(@Param('id', UuidParam) id: string, @Body() body: DeclineRepromiseRequestDto, @CurrentPrincipal() p: Principal) {
    return this.field.decline(id, body, p);
  }

  @Roles(...FIELD)
  @Post('cases/:id/attachments')
  // The engineer's phone keeps a photo taken offline in its queue and sends it later: one key, one file.
  @Idempotent()
  @ApiConsumes(...ATTACHMENT_CONTENT_TYPES)
  @ApiBody({ description: `The file itself (≤ ${ATTACHMENT_MAX_BYTES} bytes) with its Content-Type`, schema: { type: 'string', format: 'binary' } })
  @ApiOperation({ summary: 'Attach a photo (JPEG, PNG, WebP, HEIC) or a PDF to the case, optionally for a milestone with a note' })
  async attach(@Param('id', UuidParam) id: string, @Query() query: UploadAttachmentQueryDto, @Req() req: Request, @CurrentPrincipal() p: Principal) {
    const contentType = req.headers['content-type'];
    if (!declaredType(contentType)) {
      req.resume();
      throw unsupportedType();
    }
    const data = await readBody(req, ATTACHMENT_MAX_BYTES);
    return this.field.attach(id, contentType, data, query, p);
  }

  @Get('cases/:id/attachments')
  @ApiOperation({ summary: 'The photos and PDFs of a case (staff only; never on the public status page)' })
  attachments(@Param('id', UuidParam) id: string) {
    return this.field.attachments(id);
  }

  @Get('attachments/:id/content')
  @ApiOperation({ summary: 'The file itself, with its type; served so a browser never runs it' })
  async content(@Param('id', UuidParam) id: string, @Res() res: Response) {
    const { attachment, data } = await this.field.content(id);
    res.setHeader('Content-Type', attachment.contentType);
    res.setHeader('Content-Length', String(data.length));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`);
    res.end(data);
  }
}
