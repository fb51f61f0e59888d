import { Module } from '@nestjs/common';
import { EventsModule } from '../events';
import { ApiKeyController, AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { InvitationMailer } from './invitation-mailer';
import { OnboardingService } from './onboarding.service';
import { SessionService } from './session.service';
import { SignupService } from './signup.service';

@Module({
  imports: [EventsModule],
  controllers: [AuthController, ApiKeyController],
  providers: [AuthService, SessionService, OnboardingService, SignupService, InvitationMailer],
})
export class AuthModule {}
