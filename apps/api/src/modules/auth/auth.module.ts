import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { ApiKeyController, AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginThrottlerGuard, loginThrottlerOptions } from './login-throttler.guard';

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, getDataSourceToken()],
      useFactory: (config: AppConfig, dataSource: DataSource) => loginThrottlerOptions(config, dataSource),
    }),
  ],
  controllers: [AuthController, ApiKeyController],
  providers: [AuthService, LoginThrottlerGuard],
})
export class AuthModule {}
