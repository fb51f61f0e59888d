import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';

/** `GET /health`: liveness and database reachability. */
@Module({ controllers: [HealthController] })
export class HealthModule {}
