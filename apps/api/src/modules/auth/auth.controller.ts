import { Body, Controller, Headers, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Auth, ReqMeta, type AuthContext, type RequestMeta } from '../../common/auth/auth-context';
import { Endpoint } from '../../common/decorators/endpoint.decorator';
import { AuthService } from './auth.service';
import { LoginAcceptedDto, LoginDto, RefreshDto, SessionDto, SwitchTenantDto, VerifyDto } from './dto/auth.dto';

@ApiTags('auth')
@Controller('auth')
@UseGuards(ThrottlerGuard)
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(HttpStatus.ACCEPTED)
  @Endpoint({
    summary: 'Send a one-time sign-in code on Discord',
    description:
      'Always answers 202 with the same body, whether or not the account exists (no enumeration). The 6-digit code is valid `OTP_EXPIRATION_MINUTES` minutes, once.',
    public: true,
    errors: [400, 429],
  })
  @ApiAcceptedResponse({ type: LoginAcceptedDto })
  login(@Body() input: LoginDto, @ReqMeta() meta: RequestMeta): Promise<LoginAcceptedDto> {
    return this.auth.login(input.username, meta);
  }

  @Post('verify')
  @HttpCode(HttpStatus.OK)
  @Endpoint({
    summary: 'Exchange the one-time code for a session',
    description:
      'Returns an access JWT and a rotating refresh token. With two-factor authentication on, send a TOTP code or a recovery code in `X-2FA-Token`. Five wrong codes lock sign-in for `LOGIN_LOCKOUT_MINUTES`.',
    public: true,
    errors: [400, 401, 404, 429],
  })
  @ApiHeader({ name: 'X-2FA-Token', required: false, description: 'TOTP code or recovery code, when 2FA is on.' })
  @ApiOkResponse({ type: SessionDto })
  verify(
    @Body() input: VerifyDto,
    @Headers('x-2fa-token') twoFactorToken: string | undefined,
    @ReqMeta() meta: RequestMeta,
  ): Promise<SessionDto> {
    return this.auth.verify(input, twoFactorToken, meta);
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @Endpoint({
    summary: 'Exchange a refresh token for a new session',
    description: 'Each refresh token works once. Presenting one that was already exchanged revokes its whole family.',
    public: true,
    errors: [400, 401, 429],
  })
  @ApiOkResponse({ type: SessionDto })
  refresh(@Body() input: RefreshDto, @ReqMeta() meta: RequestMeta): Promise<SessionDto> {
    return this.auth.refresh(input.refresh_token, meta);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Endpoint({ summary: 'End a session (revokes its refresh tokens)', public: true, errors: [400, 429] })
  @ApiNoContentResponse({ description: 'Signed out (also when the token was unknown).' })
  logout(@Body() input: RefreshDto, @ReqMeta() meta: RequestMeta): Promise<void> {
    return this.auth.logout(input.refresh_token, meta);
  }

  @Post('switch-tenant')
  @HttpCode(HttpStatus.OK)
  @Endpoint({ summary: 'Open a session in another of your tenants', sessionOnly: true, errors: [400, 404, 429] })
  @ApiOkResponse({ type: SessionDto })
  switchTenant(
    @Auth() auth: AuthContext,
    @Body() input: SwitchTenantDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<SessionDto> {
    return this.auth.switchTenant(auth, input.tenant_id, meta);
  }

  @Post('confirmation-code')
  @HttpCode(HttpStatus.ACCEPTED)
  @Endpoint({
    summary: 'Send yourself a fresh one-time code, to confirm a sensitive account change',
    description:
      'Goes where your sign-in codes go now. Changing that destination, or turning 2FA on, needs this code (or, with 2FA on, a TOTP code).',
    sessionOnly: true,
    errors: [429],
  })
  @ApiAcceptedResponse({ type: LoginAcceptedDto })
  sendConfirmationCode(@Auth() auth: AuthContext, @ReqMeta() meta: RequestMeta): Promise<LoginAcceptedDto> {
    return this.auth.sendConfirmationCode(auth.userId, meta);
  }
}
