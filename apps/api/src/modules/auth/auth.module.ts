import { Module } from '@nestjs/common';
import { ApiKeyController, AuthController } from './auth.controller';
import { AuthService } from './auth.service';

@Module({ controllers: [AuthController, ApiKeyController], providers: [AuthService] })
export class AuthModule {}
