import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../../config/app-config';
import { SecretBox } from '../../crypto/secret-box';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import {
  LoginChallengesRepository,
  RecoveryCodesRepository,
  RefreshTokensRepository,
  RevokedSessionsRepository,
} from './auth.repositories';
import { AuthService } from './auth.service';
import { CredentialsVerifier } from './credentials-verifier';
import { OneTimeCodes } from './one-time-codes';
import { OtpDelivery } from './otp-delivery';
import { SessionRevocations } from './session-revocations';
import { SessionService } from './session.service';
import { TwoFactorController } from './two-factor.controller';
import { TwoFactorService } from './two-factor.service';

@Module({
  imports: [
    UsersModule,
    JwtModule.registerAsync({
      inject: [AppConfig, SecretBox],
      useFactory: (config: AppConfig, secrets: SecretBox) => ({
        secret: config.env.JWT_SECRET ?? secrets.derive('dumpstation/jwt').toString('base64'),
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
    // Auth routes only (they use ThrottlerGuard): per client IP, per minute.
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => [{ ttl: 60_000, limit: config.env.AUTH_RATE_LIMIT_PER_MINUTE }],
    }),
  ],
  controllers: [AuthController, TwoFactorController],
  providers: [
    AuthService,
    SessionService,
    TwoFactorService,
    OtpDelivery,
    OneTimeCodes,
    CredentialsVerifier,
    LoginChallengesRepository,
    RefreshTokensRepository,
    RecoveryCodesRepository,
    RevokedSessionsRepository,
    SessionRevocations,
  ],
  exports: [CredentialsVerifier, TwoFactorService],
})
export class AuthModule {}
