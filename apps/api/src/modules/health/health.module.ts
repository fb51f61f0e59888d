import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { ReadinessIndicators } from './health.indicators';
import { Readiness } from './readiness';

/** `GET /health/live`, `/health/ready` (and `/health`, same as ready), and the process's {@link Readiness}. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [Readiness, ReadinessIndicators],
  exports: [Readiness],
})
export class HealthModule {}
