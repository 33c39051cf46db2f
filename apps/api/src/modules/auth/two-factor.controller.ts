import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Auth, ReqMeta, type AuthContext, type RequestMeta } from '../../common/auth/auth-context';
import { Endpoint } from '../../common/decorators/endpoint.decorator';
import { ConfirmTwoFactorSetupDto, RecoveryCodesDto, TwoFactorCodeDto, TwoFactorSetupDto } from './dto/auth.dto';
import { TwoFactorService } from './two-factor.service';

@ApiTags('auth')
@Controller('auth/2fa')
@UseGuards(ThrottlerGuard)
export class TwoFactorController {
  constructor(private readonly twoFactor: TwoFactorService) {}

  @Post('setup')
  @Endpoint({
    summary: 'Start TOTP setup: a new secret, its otpauth URI and a QR code',
    sessionOnly: true,
    errors: [409, 429],
  })
  @ApiCreatedResponse({ type: TwoFactorSetupDto })
  setupTwoFactor(@Auth() auth: AuthContext): Promise<TwoFactorSetupDto> {
    return this.twoFactor.setup(auth);
  }

  @Post('verify-setup')
  @HttpCode(HttpStatus.OK)
  @Endpoint({
    summary: 'Turn TOTP on with a first code; returns 10 recovery codes, shown once',
    description:
      'Needs `code` from the new authenticator and `confirmation_code`, a fresh one-time code from `POST /auth/confirmation-code`.',
    sessionOnly: true,
    errors: [400, 409, 429],
  })
  @ApiOkResponse({ type: RecoveryCodesDto })
  verifyTwoFactorSetup(
    @Auth() auth: AuthContext,
    @Body() input: ConfirmTwoFactorSetupDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<RecoveryCodesDto> {
    return this.twoFactor.confirmSetup(auth, input, meta);
  }

  @Post('disable')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Endpoint({
    summary: 'Turn TOTP off; needs a current TOTP code or a recovery code',
    sessionOnly: true,
    errors: [400, 409, 429],
  })
  @ApiNoContentResponse({ description: 'Two-factor authentication is off.' })
  disableTwoFactor(
    @Auth() auth: AuthContext,
    @Body() input: TwoFactorCodeDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<void> {
    return this.twoFactor.disable(auth, input.code, meta);
  }
}
