import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { ImportResponse } from '@kept/contracts';
import { HistoryFileError, importHistory, parseMapping, sqlClientOf, StrictImportError } from '@kept/history';
import { TenantContext } from '../../common/database/tenant-context';
import { ForecastService } from '../forecast';
import { ImportException, ImportExceptionCode } from './imports.exception';

/** Rejected rows listed in a problem response (all of them are in the import's own record). */
const PROBLEM_ROWS = 1000;

@Injectable()
export class ImportsService {
  constructor(
    private readonly tenant: TenantContext,
    private readonly forecast: ForecastService,
  ) {}

  parseMapping(text: string | undefined) {
    if (!text) throw new ImportException(ImportExceptionCode.IMPORT_INVALID_MAPPING, 'give the column mapping as JSON in the X-Kept-Mapping header or the `mapping` query parameter');
    try {
      return parseMapping(text);
    } catch (e) {
      throw new ImportException(ImportExceptionCode.IMPORT_INVALID_MAPPING, (e as Error).message);
    }
  }

  /** Streams the request body into the tenant's cases, in the request's transaction (strict: all or nothing). */
  async import(body: Readable, mappingText: string | undefined, opts: { strict: boolean; fileName: string; userId?: string }): Promise<ImportResponse> {
    const mapping = this.parseMapping(mappingText);
    const m = this.tenant.manager;
    try {
      const result = await importHistory(sqlClientOf((t, p) => m.query(t, p)), body, mapping, {
        tenantId: this.tenant.tenantId,
        fileName: opts.fileName,
        strict: opts.strict,
        createdBy: opts.userId,
      });
      this.forecast.invalidate(this.tenant.tenantId);
      return result;
    } catch (e) {
      if (e instanceof StrictImportError) {
        throw new ImportException(
          ImportExceptionCode.IMPORT_REJECTED,
          `${e.result.rejected} of ${e.result.rows} rows are invalid and the import is strict`,
          e.result.rejectedRows.slice(0, PROBLEM_ROWS).map((r) => ({ path: `line ${r.line}`, message: r.reason })),
        );
      }
      if (e instanceof HistoryFileError) {
        throw new ImportException(ImportExceptionCode.IMPORT_INVALID_FILE, e.message, e.line ? [{ path: `line ${e.line}`, message: e.code }] : undefined);
      }
      throw e;
    }
  }
}
