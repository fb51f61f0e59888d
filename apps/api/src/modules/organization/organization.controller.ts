import { Body, Controller, Delete, Get, Param, Patch, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BRAND_LOGO_MAX_BYTES, BRAND_LOGO_TYPES, type OrganizationSettings, updateOrganizationSettingsRequestSchema } from '@kept/contracts';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { Public, Roles } from '../../common/auth/auth.decorators';
import { expectedVersion, withEtag } from '../../common/http/concurrency';
import { UuidParam } from '../../common/http/uuid.pipe';
import { readBody } from '../field';
import { OrganizationException, OrganizationExceptionCode } from './organization.exception';
import { isLogoType, OrganizationService } from './organization.service';

class UpdateOrganizationSettingsDto extends createZodDto(updateOrganizationSettingsRequestSchema) {}

const logoTooLarge = () =>
  new OrganizationException(OrganizationExceptionCode.LOGO_TOO_LARGE, `A logo may have at most ${BRAND_LOGO_MAX_BYTES / 1024} KB`);

/** The tenant's branding and customer settings (admins), and the logo her status page shows (public). */
@ApiTags('organization')
@Controller()
export class OrganizationController {
  constructor(private readonly service: OrganizationService) {}

  @ApiBearerAuth()
  @Roles('admin')
  @Get('organization/settings')
  @ApiOperation({ summary: 'Name, accent colour, logo, default language and customer e-mails of the organization (admin)' })
  async settings(@Res({ passthrough: true }) res: Response): Promise<OrganizationSettings> {
    return withEtag(res, await this.service.settings());
  }

  @ApiBearerAuth()
  @Roles('admin')
  @Patch('organization/settings')
  @ApiHeader({ name: 'If-Match', required: false, description: 'W/"<version>" as last read (or send "version")' })
  @ApiOperation({ summary: 'Change the branding and customer settings; an accent colour must reach 4.5 : 1 with white text (422 otherwise)' })
  async update(@Body() body: UpdateOrganizationSettingsDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<OrganizationSettings> {
    return withEtag(res, await this.service.update(body, expectedVersion(req, body.version)));
  }

  @ApiBearerAuth()
  @Roles('admin')
  @Put('organization/settings/logo')
  @ApiConsumes(...BRAND_LOGO_TYPES)
  @ApiBody({ description: `The image itself (PNG, JPEG or WebP, ≤ ${BRAND_LOGO_MAX_BYTES} bytes)`, schema: { type: 'string', format: 'binary' } })
  @ApiOperation({ summary: 'Upload the logo (413 beyond 256 KB, 415 for another type or a file that is not what it claims)' })
  async setLogo(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<OrganizationSettings> {
    const contentType = req.headers['content-type'];
    if (!isLogoType(contentType)) {
      req.resume();
      throw new OrganizationException(OrganizationExceptionCode.LOGO_UNSUPPORTED_TYPE, 'Send a PNG, JPEG or WebP image with its Content-Type');
    }
    const data = await readBody(req, BRAND_LOGO_MAX_BYTES, logoTooLarge);
    if (data.length === 0) throw new OrganizationException(OrganizationExceptionCode.LOGO_UNSUPPORTED_TYPE, 'The file is empty');
    return withEtag(res, await this.service.setLogo(contentType.split(';')[0].trim() as (typeof BRAND_LOGO_TYPES)[number], data));
  }

  @ApiBearerAuth()
  @Roles('admin')
  @Delete('organization/settings/logo')
  @ApiOperation({ summary: 'Remove the logo' })
  async removeLogo(@Res({ passthrough: true }) res: Response): Promise<OrganizationSettings> {
    return withEtag(res, await this.service.removeLogo());
  }

  @Public()
  @Get('public/brand/:organizationId/logo')
  @ApiOperation({ summary: "The organization's logo as the customer's status page shows it (404 without one)" })
  async logo(@Param('organizationId', UuidParam) organizationId: string, @Res() res: Response): Promise<void> {
    const logo = await this.service.publicLogo(organizationId);
    res.setHeader('Content-Type', logo.type);
    res.setHeader('Content-Length', String(logo.data.length));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    // The URL carries the settings version (?v=), so a new logo is a new URL.
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.end(logo.data);
  }
}
