import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CoreModule } from './common/core.module';
import { dataSourceOptions } from './common/database/data-source';
import type { AppConfig } from './config/config';
import { entities } from './database/entities';
import { AlertsWorkerModule } from './modules/alerts';
import { MetricsModule } from './modules/metrics';

/**
 * The root of `npm run worker`: the same core (config, Clock, tenant transactions), database and job
 * module as the API's in-process worker, without HTTP. Jobs get `concurrency + 2` connections.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot(config),
        TypeOrmModule.forRoot(dataSourceOptions(config.appDatabaseUrl, config.worker.concurrency + 2, entities, config.ops.connectTimeoutMs)),
        MetricsModule,
        AlertsWorkerModule.forRoot({ start: true }),
      ],
    };
  }
}
