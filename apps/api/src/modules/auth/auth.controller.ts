import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { LoginResponse } from '@kept/contracts';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { UuidParam } from '../../common/http/uuid.pipe';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Public, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import {
  ApiKeyResponseDto,
  ChangePasswordDto,
  CreateApiKeyDto,
  CreatedApiKeyResponseDto,
  CreateInvitationDto,
  InvitationResponseDto,
  LoginDto,
  LoginResponseDto,
  MeResponseDto,
  PendingInvitationResponseDto,
  SetPasswordDto,
  SignupDto,
  SignupModeResponseDto,
  SignupResponseDto,
  VerifyEmailDto,
} from './auth.dto';
import { AuthService } from './auth.service';
import { AccountThrottle, ClientThrottle } from './login-throttler.guard';
import { OnboardingService } from './onboarding.service';
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from './refresh-cookie';
import { IssuedSession, SessionService } from './session.service';
import { SignupService } from './signup.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
    private readonly onboarding: OnboardingService,
    private readonly signups: SignupService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Exchanges e-mail and password for a short-lived access token (in the body) and a refresh token (an
   * httpOnly, SameSite=Strict cookie on /api/v1/auth only). Throttled by account and by client (429).
   */
  @Public()
  @AccountThrottle()
  @ApiOkResponse({ type: LoginResponseDto, description: 'Signed in; the refresh token is set as an httpOnly cookie' })
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.deliver(req, res, await this.auth.login(body));
  }

  /** Rotates the refresh token (cookie) and returns a new access token; a rotated token used again ends its log-in. */
  @Public()
  @ClientThrottle()
  @ApiOkResponse({ type: LoginResponseDto, description: 'A new access token; the refresh-token cookie rotated' })
  @Post('refresh')
  @HttpCode(200)
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.deliver(req, res, await this.sessions.refresh(readRefreshCookie(req)));
  }

  /** Ends this browser's log-in (its refresh-token family) and clears the cookie. */
  @Public()
  @ClientThrottle()
  @ApiNoContentResponse({ description: 'Logged out; the cookie is cleared' })
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.logout(readRefreshCookie(req));
    clearRefreshCookie(req, res, this.config.env === 'production');
  }

  /** Ends every session of the signed-in user: access tokens, refresh tokens and live event streams. */
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Every session of the user ended' })
  @Post('logout-all')
  @HttpCode(204)
  async logoutAll(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.logoutEverywhere(principal);
    clearRefreshCookie(req, res, this.config.env === 'production');
  }

  /** Changes one's own password; every other session ends, this one continues with new tokens. */
  @ApiBearerAuth()
  @ApiOkResponse({ type: LoginResponseDto, description: 'Password changed; this session continues with new tokens' })
  @Post('password')
  @HttpCode(200)
  async changePassword(
    @Body() body: ChangePasswordDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.deliver(req, res, await this.sessions.changePassword(principal, body));
  }

  /** Redeems a one-time set-password link (invitation or new organization) and signs the user in. */
  @Public()
  @ClientThrottle()
  @ApiOkResponse({ type: LoginResponseDto, description: 'Password set and signed in' })
  @Post('set-password')
  @HttpCode(200)
  async setPassword(@Body() body: SetPasswordDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.deliver(req, res, await this.onboarding.setPassword(body));
  }

  /** Invites a user by e-mail: a user without a password and a one-time link (shown once, e-mailed when SMTP is set). */
  @ApiBearerAuth()
  @Roles('admin')
  @ApiCreatedResponse({ type: InvitationResponseDto, description: 'Invited; the link is shown only here' })
  @Post('invitations')
  invite(@Body() body: CreateInvitationDto, @CurrentPrincipal() principal: Principal) {
    return this.onboarding.invite(body, principal);
  }

  /** Invited users who have not chosen a password yet, with the state of their newest link. */
  @ApiBearerAuth()
  @Roles('admin')
  @ApiOkResponse({ type: [PendingInvitationResponseDto], description: 'Pending invitations, newest first' })
  @Get('invitations')
  invitations() {
    return this.onboarding.listInvitations();
  }

  /** A new one-time link for a pending invitee (the older links stop working); shown once, e-mailed when SMTP is set. */
  @ApiBearerAuth()
  @Roles('admin')
  @ApiCreatedResponse({ type: InvitationResponseDto, description: 'A new link, shown only here' })
  @Post('invitations/:userId/resend')
  resendInvitation(@Param('userId', UuidParam) userId: string, @CurrentPrincipal() principal: Principal) {
    return this.onboarding.resendInvitation(userId, principal);
  }

  /** Withdraws an invitation: its links stop working and the invitee is deactivated. */
  @ApiBearerAuth()
  @Roles('admin')
  @ApiNoContentResponse({ description: 'Withdrawn' })
  @Delete('invitations/:userId')
  @HttpCode(204)
  async revokeInvitation(@Param('userId', UuidParam) userId: string): Promise<void> {
    await this.onboarding.revokeInvitation(userId);
  }

  /** Which self-service entry points this server offers (`SIGNUP`): the log-in page shows sign-up only when open. */
  @Public()
  @ApiOkResponse({ type: SignupModeResponseDto })
  @Get('signup')
  signupMode() {
    return this.signups.mode();
  }

  /**
   * Public sign-up of a new organization (`SIGNUP=open`; 403 otherwise). Always 202 with the same body:
   * the admin account is activated by the link e-mailed to the address.
   */
  @Public()
  @AccountThrottle()
  @ApiAcceptedResponse({ type: SignupResponseDto, description: 'The same answer whether or not the address is known' })
  @Post('signup')
  @HttpCode(202)
  signup(@Body() body: SignupDto) {
    return this.signups.signup(body);
  }

  /** Confirms a sign-up's e-mail address with its one-time link and signs the new admin in. */
  @Public()
  @ClientThrottle()
  @ApiOkResponse({ type: LoginResponseDto, description: 'Address confirmed and signed in' })
  @Post('verify-email')
  @HttpCode(200)
  async verifyEmail(@Body() body: VerifyEmailDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.deliver(req, res, await this.signups.verifyEmail(body));
  }

  private deliver(req: Request, res: Response, session: IssuedSession): LoginResponse {
    setRefreshCookie(req, res, session.refreshToken, this.config.refreshTokenTtlSeconds, this.config.env === 'production');
    res.setHeader('Cache-Control', 'no-store');
    return session.body;
  }

  @ApiBearerAuth()
  @ApiOkResponse({ type: MeResponseDto })
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
  @ApiCreatedResponse({ type: CreatedApiKeyResponseDto, description: 'The key, with its secret shown only here' })
  @Post()
  create(@Body() body: CreateApiKeyDto, @CurrentPrincipal() principal: Principal) {
    return this.auth.createApiKey(body, principal);
  }

  @ApiOkResponse({ type: [ApiKeyResponseDto] })
  @Get()
  list() {
    return this.auth.listApiKeys();
  }

  @ApiOkResponse({ type: ApiKeyResponseDto, description: 'The key, now revoked' })
  @Delete(':id')
  revoke(@Param('id', UuidParam) id: string) {
    return this.auth.revokeApiKey(id);
  }
}
