import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsOptionalNonNull, TOTP_OR_RECOVERY_CODE } from '../../../common/validation/decorators';
import { UserDto } from '../../users/dto/user.dto';

export class LoginDto {
  @ApiProperty({ example: 'alice', description: 'Username or email.', minLength: 1, maxLength: 254 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  username: string;
}

export class LoginAcceptedDto {
  @ApiProperty({ example: 'If this account exists, a sign-in code was sent to its Discord.' })
  message: string;
  @ApiProperty({ example: 300 })
  expires_in_seconds: number;
}

export class VerifyDto {
  @ApiProperty({
    example: 'alice',
    description: 'Username or email, as given to /auth/login.',
    minLength: 1,
    maxLength: 254,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  username: string;

  @ApiProperty({ example: '482913', description: 'The 6-digit code received on Discord.', pattern: '^\\d{6}$' })
  @Matches(/^\d{6}$/, { message: 'otp must be 6 digits' })
  otp: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Tenant to sign in to; the first one otherwise.' })
  @IsOptionalNonNull()
  @IsUUID()
  tenant_id?: string;
}

export class RefreshDto {
  @ApiProperty({ example: 'dsr_Jp0uZ8…', minLength: 1, maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refresh_token: string;
}

export class SwitchTenantDto {
  @ApiProperty({ format: 'uuid', example: '5f0c2b9e-8d1a-4c3e-9b7f-2a6d4e1c8b30' })
  @IsUUID()
  tenant_id: string;
}

export class TenantSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Acme' }) name: string;
  @ApiProperty({ example: 'acme' }) slug: string;
  @ApiProperty({ enum: ['owner', 'admin', 'operator', 'viewer'], description: 'Your role in it.' })
  role: 'owner' | 'admin' | 'operator' | 'viewer';
}

export class SessionDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIs…' }) access_token: string;
  @ApiProperty({ example: 'Bearer' }) token_type: 'Bearer';
  @ApiProperty({ example: 600, description: 'Seconds until the access token expires.' }) expires_in: number;
  @ApiProperty({ example: 'dsr_Jp0uZ8…', description: 'Single use: each refresh returns a new one.' })
  refresh_token: string;
  @ApiProperty({ format: 'date-time' }) refresh_expires_at: string;
  @ApiProperty({ type: UserDto }) user: UserDto;
  @ApiProperty({ type: TenantSummaryDto, description: 'The tenant this session acts in.' }) tenant: TenantSummaryDto;
  @ApiProperty({ type: [TenantSummaryDto], description: 'Every tenant you belong to.' }) tenants: TenantSummaryDto[];
}

export class TwoFactorSetupDto {
  @ApiProperty({ example: 'JBSWY3DPEHPK3PXP', description: 'Base32 secret, for manual entry.' }) secret: string;
  @ApiProperty({ example: 'otpauth://totp/DumpStation:alice?secret=JBSWY3DPEHPK3PXP&issuer=DumpStation' })
  otpauth_uri: string;
  @ApiProperty({ example: 'data:image/png;base64,iVBORw0KGgo…' }) qr_code_data_url: string;
}

export class TwoFactorCodeDto {
  @ApiProperty({
    example: '123456',
    description: 'A current TOTP code, or (where allowed) a recovery code.',
    pattern: TOTP_OR_RECOVERY_CODE.source,
  })
  @IsString()
  @Matches(TOTP_OR_RECOVERY_CODE, {
    message: 'code must be a 6-digit TOTP code or a recovery code (xxxxx-xxxxx)',
  })
  code: string;
}

export class ConfirmTwoFactorSetupDto extends TwoFactorCodeDto {
  @ApiProperty({
    example: '482913',
    description:
      'Proof of the current sign-in factor: a fresh one-time code from `POST /auth/confirmation-code`, delivered on Discord.',
    pattern: '^\\d{6}$',
  })
  @Matches(/^\d{6}$/, { message: 'confirmation_code must be the 6-digit code sent on Discord' })
  confirmation_code: string;
}

export class RecoveryCodesDto {
  @ApiProperty({ example: ['k4mzq-7wv2p'], description: 'Shown once. Each works once, in place of a TOTP code.' })
  recovery_codes: string[];
}
