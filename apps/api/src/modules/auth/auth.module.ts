import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { EventsModule } from '../events';
import { ApiKeyController, AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { InvitationMailer } from './invitation-mailer';
import { LoginThrottlerGuard, loginThrottlerOptions } from './login-throttler.guard';
import { OnboardingService } from './onboarding.service';
import { SessionService } from './session.service';
import { SignupService } from './signup.service';

@Module({
  imports: [
    EventsModule,
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, getDataSourceToken()],
      useFactory: (config: AppConfig, dataSource: DataSource) => loginThrottlerOptions(config, dataSource),
    }),
  ],
  controllers: [AuthController, ApiKeyController],
  providers: [AuthService, LoginThrottlerGuard, SessionService, OnboardingService, SignupService, InvitationMailer],
})
export class AuthModule {}
