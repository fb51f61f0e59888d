import { Controller, Get, Res } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { NoTransaction, Public } from '../../common/auth/auth.decorators';
import { DATABASE_RETRY_AFTER_SECONDS } from '../../common/database/database-unavailable';
import { ReadinessIndicators } from './health.indicators';

/** Probes for orchestrators and load balancers (docs/operations.md). No tenant data, no auth. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly probes: HealthCheckService,
    private readonly checks: ReadinessIndicators,
  ) {}

  /** Readiness under its historical name: load balancers already probe `/health`. */
  @Public()
  @NoTransaction()
  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Same as /health/ready (kept for load balancers)' })
  health(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    return this.ready(res);
  }

  /** The process is up and its event loop answers; touches no database (a restart of PostgreSQL must not restart us). */
  @Public()
  @NoTransaction()
  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers (no database check)' })
  live(): Promise<HealthCheckResult> {
    return this.probes.check([]);
  }

  /** Ready for traffic: not shutting down, database and job queue reachable, migrations current; 503 otherwise. */
  @Public()
  @NoTransaction()
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: database, job queue and migrations; 503 while not ready' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    try {
      return await this.probes.check([() => this.checks.accepting(), () => this.checks.database()]);
    } catch (err) {
      // Terminus throws a 503 carrying the result: answer with the result itself (probes read its JSON).
      const result = (err as { getResponse?: () => unknown }).getResponse?.();
      if (!result || typeof result !== 'object') throw err;
      res.status(503).setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      return result as HealthCheckResult;
    }
  }
}
