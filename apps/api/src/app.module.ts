import { DynamicModule, Global, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import { ZodValidationPipe } from 'nestjs-zod';
import { AuthGuard } from './common/auth/auth.guard';
import { Clock, SystemClock } from './common/clock';
import { dataSourceOptions } from './common/database/data-source';
import { TenantContext } from './common/database/tenant-context';
import { TenantTransactionInterceptor } from './common/database/tenant-transaction.interceptor';
import { IdempotencyInterceptor } from './common/idempotency/idempotency.interceptor';
import { ProblemFilter } from './common/problem/problem.filter';
import { APP_CONFIG, AppConfig } from './config/config';
import { AlertsModule } from './modules/alerts/alerts.module';
import { AnalyticsModule } from './modules/analytics/analytics.module';
import { AuthModule } from './modules/auth/auth.module';
import { CalendarsModule } from './modules/calendars/calendars.module';
import { CaseModule } from './modules/cases/case.module';
import { ContractsModule } from './modules/contracts/contracts.module';
import { CustomersModule } from './modules/customers/customers.module';
import { ForecastModule } from './modules/forecast/forecast.module';
import { HealthController } from './modules/health/health.controller';
import { ImportsModule } from './modules/imports/imports.module';
import { StatusLinksModule } from './modules/status-links/status-links.module';
import { UsersModule } from './modules/users/users.module';

/** Cross-cutting providers every feature module may inject. */
@Global()
@Module({})
class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      imports: [JwtModule.register({ global: true, secret: config.jwtSecret, signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } })],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Clock, useClass: SystemClock },
        TenantContext,
        IdempotencyInterceptor,
      ],
      exports: [APP_CONFIG, Clock, TenantContext, IdempotencyInterceptor],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        LoggerModule.forRoot({
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: {
            level: config.logLevel,
            genReqId: (req, res) => {
              const incoming = req.headers['x-request-id'];
              const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
              res.setHeader('X-Request-Id', id);
              return id;
            },
            redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
            serializers: {
              // The event stream takes its token in the query string: never write it to the log.
              req: (req: { url?: string }) => ({ ...req, url: req.url?.replace(/access_token=[^&]*/g, 'access_token=[Redacted]').replace(/\/public\/status\/[^/?]+/, '/public/status/[Redacted]') }),
            },
            autoLogging: { ignore: (req) => req.url === '/api/v1/health' },
          },
        }),
        TypeOrmModule.forRoot(dataSourceOptions(config.appDatabaseUrl, config.poolSize)),
        AuthModule,
        UsersModule,
        CustomersModule,
        CalendarsModule,
        ContractsModule,
        CaseModule,
        AlertsModule,
        AnalyticsModule,
        ForecastModule,
        ImportsModule,
        StatusLinksModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: TenantTransactionInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
