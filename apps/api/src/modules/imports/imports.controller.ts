import { Controller, Headers, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiHeader, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles } from '../../common/auth/auth.decorators';
import { userIdOf, type Principal } from '../../common/auth/principal';
import { ImportException, ImportExceptionCode } from './imports.exception';
import { ImportsService } from './imports.service';

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  /**
   * Imports ticket history: the body is the CSV file (`Content-Type: text/csv`, streamed), the mapping
   * is JSON in the `X-Kept-Mapping` header (or the `mapping` query parameter). Idempotent: rows already
   * imported are counted in `alreadyPresent`. `strict=true` rejects the whole file when any row is invalid.
   */
  @Roles('admin', 'manager')
  @Post()
  @ApiConsumes('text/csv')
  @ApiHeader({ name: 'X-Kept-Mapping', required: false, description: 'the column mapping, JSON' })
  @ApiQuery({ name: 'strict', required: false, type: Boolean })
  @ApiQuery({ name: 'fileName', required: false })
  @ApiQuery({ name: 'mapping', required: false })
  async create(
    @Req() req: Request & { principal?: Principal },
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-kept-mapping') mappingHeader: string | undefined,
    @Query('mapping') mappingQuery: string | undefined,
    @Query('strict') strict: string | undefined,
    @Query('fileName') fileName: string | undefined,
  ) {
    if (!/^(text\/csv|application\/csv)\b/i.test(contentType ?? '')) {
      throw new ImportException(ImportExceptionCode.IMPORT_UNSUPPORTED_MEDIA_TYPE, `expected Content-Type text/csv, got ${contentType ?? 'none'}`);
    }
    if (strict !== undefined && strict !== 'true' && strict !== 'false') {
      throw new ImportException(ImportExceptionCode.IMPORT_INVALID_MAPPING, 'strict must be true or false');
    }
    const principal = req.principal;
    return this.imports.import(req, mappingHeader ?? mappingQuery, {
      strict: strict === 'true',
      fileName: (fileName ?? 'upload.csv').slice(0, 200),
      userId: principal ? (userIdOf(principal) ?? undefined) : undefined,
    });
  }
}
