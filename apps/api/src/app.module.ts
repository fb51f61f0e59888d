import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ZodValidationPipe } from 'nestjs-zod';
import { AuthGuard } from './common/auth/auth.guard';
import { CoreModule } from './common/core.module';
import { dataSourceOptions } from './common/database/data-source';
import { TenantTransactionInterceptor } from './common/database/tenant-transaction.interceptor';
import { pinoHttpOptions } from './common/logging/pino-options';
import { ProblemFilter } from './common/problem/problem.filter';
import type { AppConfig } from './config/config';
import { entities } from './database/entities';
import { AlertsModule, AlertsWorkerModule } from './modules/alerts';
import { AnalyticsModule } from './modules/analytics';
import { BoardModule } from './modules/board';
import { AuthModule } from './modules/auth';
import { CalendarsModule } from './modules/calendars';
import { CaseModule } from './modules/cases';
import { ContractsModule } from './modules/contracts';
import { CustomerEmailsModule } from './modules/customer-emails';
import { CustomersModule } from './modules/customers';
import { EventStreamModule } from './modules/events';
import { ForecastModule } from './modules/forecast';
import { HealthModule } from './modules/health';
import { ImportsModule } from './modules/imports';
import { OrganizationModule } from './modules/organization';
import { MetricsHttpModule, MetricsModule } from './modules/metrics';
import { StatusLinksModule } from './modules/status-links';
import { GoodwillModule } from './modules/goodwill';
import { RootCausesModule } from './modules/root-causes';
import { FieldModule } from './modules/field';
import { UsersModule } from './modules/users';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        LoggerModule.forRoot({
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: config.logStream ? [pinoHttpOptions(config), config.logStream] : pinoHttpOptions(config),
        }),
        // An in-process worker runs its jobs on this pool too: it gets the connections it had on its own.
        TypeOrmModule.forRoot(dataSourceOptions(config.appDatabaseUrl, config.poolSize + (config.worker.inProcess ? config.worker.concurrency + 2 : 0), entities, config.ops.connectTimeoutMs)),
        AuthModule,
        UsersModule,
        CustomersModule,
        CustomerEmailsModule,
        OrganizationModule,
        CalendarsModule,
        ContractsModule,
        CaseModule,
        AlertsModule,
        AlertsWorkerModule.forRoot({ start: config.worker.inProcess }),
        EventStreamModule,
        AnalyticsModule,
        BoardModule,
        ForecastModule,
        ImportsModule,
        StatusLinksModule,
        GoodwillModule,
        RootCausesModule,
        FieldModule,
        HealthModule,
        MetricsModule,
        MetricsHttpModule,
      ],
      providers: [
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: TenantTransactionInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
