import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { UuidParam } from '../../common/http/uuid.pipe';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Public, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { CreateApiKeyDto, LoginDto } from './auth.dto';
import { AuthService } from './auth.service';
import { LoginThrottlerGuard } from './login-throttler.guard';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Exchanges e-mail and password for a short-lived access token. Throttled by account and by client (429). */
  @Public()
  @UseGuards(LoginThrottlerGuard)
  @Post('login')
  @HttpCode(200)
  login(@Body() body: LoginDto) {
    return this.auth.login(body);
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return this.auth.me(principal);
  }
}

@ApiTags('api-keys')
@ApiBearerAuth()
@Roles('admin')
@Controller('api-keys')
export class ApiKeyController {
  constructor(private readonly auth: AuthService) {}

  /**
   * Creates a key for an integration; the secret is shown once and only its hash is kept. Not
   * @Idempotent: a replay would need the response, secret included, stored in idempotency_keys.
   */
  @Post()
  create(@Body() body: CreateApiKeyDto, @CurrentPrincipal() principal: Principal) {
    return this.auth.createApiKey(body, principal);
  }

  @Get()
  list() {
    return this.auth.listApiKeys();
  }

  @Delete(':id')
  revoke(@Param('id', UuidParam) id: string) {
    return this.auth.revokeApiKey(id);
  }
}
