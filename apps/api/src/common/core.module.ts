import { createSecretKey } from 'node:crypto';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Clock, SystemClock } from './clock';
import { TenantContext } from './database/tenant-context';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';

/**
 * Cross-cutting providers every feature module may inject: the typed config, the one {@link Clock},
 * the tenant transaction and JWT signing. Both application roots load it (the HTTP API and the
 * worker's application context), so a job and a request see the same Clock and TenantContext.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        JwtModule.register({
          global: true,
          // A KeyObject built once: given the string, jsonwebtoken builds the key on every sign and
          // verify (≈430 µs against ≈8.5 µs per request).
          secret: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')),
          signOptions: { algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        }),
      ],
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
