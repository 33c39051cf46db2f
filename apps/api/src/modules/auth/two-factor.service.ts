import { HttpStatus, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import { toDataURL } from 'qrcode';
import { ApiException } from '../../common/errors/api-exception';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context';
import { SecretBox } from '../../crypto/secret-box';
import type { User } from '../../generated/prisma/client';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { UsersRepository } from '../users/users.repository';
import { RecoveryCodesRepository } from './auth.repositories';
import type { ConfirmTwoFactorSetupDto, RecoveryCodesDto, TwoFactorSetupDto } from './dto/auth.dto';
import { OneTimeCodes } from './one-time-codes';

const RECOVERY_CODE_COUNT = 10;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function newRecoveryCode(): string {
  const chars = [...randomBytes(10)].map((byte) => BASE32[byte % 32]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** TOTP second factor: setup, confirmation with recovery codes, checking a code once, disabling. */
@Injectable()
export class TwoFactorService {
  constructor(
    private readonly users: UsersRepository,
    private readonly recoveryCodes: RecoveryCodesRepository,
    private readonly secrets: SecretBox,
    private readonly activity: ActivityLogService,
    private readonly codes: OneTimeCodes,
  ) {}

  async setup(auth: AuthContext): Promise<TwoFactorSetupDto> {
    const user = await this.requireUser(auth.userId);
    if (user.totpEnabled)
      throw new ApiException(
        HttpStatus.CONFLICT,
        'TWO_FACTOR_ALREADY_ENABLED',
        'Two-factor authentication is already on; disable it first',
      );
    const secret = generateSecret();
    // Pending until confirmed with a code in verify-setup.
    await this.users.update(user.id, { totpSecretEncrypted: this.secrets.encrypt(secret), totpLastUsedStep: null });
    const uri = generateURI({ issuer: 'DumpStation', label: user.username, secret });
    return { secret, otpauth_uri: uri, qr_code_data_url: await toDataURL(uri, { margin: 1, width: 240 }) };
  }

  async confirmSetup(auth: AuthContext, input: ConfirmTwoFactorSetupDto, meta: RequestMeta): Promise<RecoveryCodesDto> {
    const { code } = input;
    const user = await this.requireUser(auth.userId);
    if (user.totpEnabled)
      throw new ApiException(
        HttpStatus.CONFLICT,
        'TWO_FACTOR_ALREADY_ENABLED',
        'Two-factor authentication is already on',
      );
    if (!user.totpSecretEncrypted)
      throw new ApiException(HttpStatus.BAD_REQUEST, 'TWO_FACTOR_NOT_SET_UP', 'Call /auth/2fa/setup first');
    // Turning 2FA on is proved with the factor in force now, the Discord code: a stolen session
    // alone must not be able to bind the account to an attacker's authenticator.
    await this.confirmCurrentFactor(user, input.confirmation_code, 'confirmation_code');
    if (!(await this.acceptTotp(user, code))) {
      throw new ApiException(HttpStatus.BAD_REQUEST, 'INVALID_CODE', 'That code is not valid', [
        { field: 'code', message: 'code is not a valid current TOTP code' },
      ]);
    }
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.recoveryCodes.replaceAll(
      user.id,
      codes.map((c) => this.secrets.hmac(c)),
    );
    await this.users.update(user.id, { totpEnabled: true });
    await this.activity.recordFor(auth, meta, { event: 'auth.2fa.enable', resourceType: 'User', resourceId: user.id });
    return { recovery_codes: codes };
  }

  async disable(auth: AuthContext, code: string, meta: RequestMeta): Promise<void> {
    const user = await this.requireUser(auth.userId);
    if (!user.totpEnabled)
      throw new ApiException(HttpStatus.CONFLICT, 'TWO_FACTOR_NOT_ENABLED', 'Two-factor authentication is not on');
    if (!(await this.accept(user, code))) {
      await this.activity.recordFor(auth, meta, {
        event: 'auth.2fa.disable',
        outcome: 'failure',
        resourceType: 'User',
        resourceId: user.id,
      });
      throw new ApiException(HttpStatus.BAD_REQUEST, 'INVALID_CODE', 'That code is not valid', [
        { field: 'code', message: 'code is not a valid TOTP or recovery code' },
      ]);
    }
    await this.users.update(user.id, { totpEnabled: false, totpSecretEncrypted: null, totpLastUsedStep: null });
    await this.recoveryCodes.deleteAll(user.id);
    await this.activity.recordFor(auth, meta, {
      event: 'auth.2fa.disable',
      resourceType: 'User',
      resourceId: user.id,
    });
  }

  /**
   * Proof of the current sign-in factor before a change that guards sign-in: with 2FA on, a TOTP
   * or recovery code; otherwise a fresh one-time code sent where codes go now
   * (`POST /auth/confirmation-code`). Missing or wrong → 400 naming `field`.
   */
  async confirmCurrentFactor(user: User, code: string | undefined, field: string): Promise<void> {
    const what = user.totpEnabled ? 'a current TOTP code or a recovery code' : 'a fresh one-time code from Discord';
    if (!code) {
      throw new ApiException(HttpStatus.BAD_REQUEST, 'CONFIRMATION_REQUIRED', `This change needs ${what}`, [
        { field, message: `${field} is required: ${what}` },
      ]);
    }
    const accepted = user.totpEnabled
      ? await this.accept(user, code.trim())
      : await this.codes.accept(user, code.trim());
    if (!accepted) {
      throw new ApiException(HttpStatus.BAD_REQUEST, 'INVALID_CODE', 'That code is not valid', [
        { field, message: `${field} is not ${what}` },
      ]);
    }
  }

  /** A TOTP code (each accepted once) or an unused recovery code (then used up). */
  async accept(user: User, code: string): Promise<boolean> {
    if (/^\d{6}$/.test(code)) return this.acceptTotp(user, code);
    return this.recoveryCodes.use(user.id, this.secrets.hmac(code.toLowerCase()));
  }

  private async acceptTotp(user: User, code: string): Promise<boolean> {
    if (!user.totpSecretEncrypted) return false;
    const result = await verify({
      secret: this.secrets.decrypt(user.totpSecretEncrypted),
      token: code,
      // One step of clock drift either way.
      epochTolerance: 30,
    });
    if (!result.valid) return false;
    // The matched time step (TOTP results carry it; else derive it from the window offset).
    const step = (result as { timeStep?: number }).timeStep ?? Math.floor(Date.now() / 30_000) + result.delta;
    return this.users.claimTotpStep(user.id, step);
  }

  async requireUser(id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new ApiException(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'This account no longer exists');
    return user;
  }
}
