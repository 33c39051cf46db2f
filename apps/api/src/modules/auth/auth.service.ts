import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../../config/app-config';
import { ApiException } from '../../common/errors/api-exception';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context';
import { SecretBox } from '../../crypto/secret-box';
import { InvitationsService } from '../tenants/invitations.service';
import type { User } from '../../generated/prisma/client';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { UsersRepository } from '../users/users.repository';
import { LoginChallengesRepository } from './auth.repositories';
import type { LoginAcceptedDto, SessionDto, VerifyDto } from './dto/auth.dto';
import { OtpDelivery } from './otp-delivery';
import { SessionService } from './session.service';
import { TwoFactorService } from './two-factor.service';

/** Login answers take at least this long, so known and unknown users cannot be told apart by timing. */
const LOGIN_RESPONSE_FLOOR_MS = 250;

const invalidCode = () => new ApiException(HttpStatus.UNAUTHORIZED, 'INVALID_CODE', 'Invalid or expired code');

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly invitations: InvitationsService,
    private readonly users: UsersRepository,
    private readonly challenges: LoginChallengesRepository,
    private readonly secrets: SecretBox,
    private readonly delivery: OtpDelivery,
    private readonly sessions: SessionService,
    private readonly twoFactor: TwoFactorService,
    private readonly activity: ActivityLogService,
  ) {}

  /** Sends a code if the account exists and is not locked; the answer is the same either way. */
  async login(identifier: string, meta: RequestMeta): Promise<LoginAcceptedDto> {
    const started = Date.now();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const user = await this.users.findByUsernameOrEmail(identifier.trim());
    if (user && !this.isLocked(user)) {
      const expiresAt = new Date(Date.now() + this.config.env.OTP_EXPIRATION_MINUTES * 60_000);
      await this.challenges.replaceOpen(user.id, this.codeHash(user.id, code), expiresAt, meta.ip);
      // Delivery runs in the background: how long Discord takes must not reveal that the user exists.
      this.delivery.deliver(user, code).catch((error: unknown) => {
        this.logger.error({ err: error, userId: user.id }, 'Could not deliver a one-time code');
        void this.activity.record({
          action: 'auth.otp.delivery',
          outcome: 'failure',
          level: 'error',
          userId: user.id,
          meta,
        });
      });
    }
    await sleep(Math.max(0, LOGIN_RESPONSE_FLOOR_MS - (Date.now() - started)));
    return {
      message: 'If this account exists, a sign-in code was sent to its Discord.',
      expires_in_seconds: this.config.env.OTP_EXPIRATION_MINUTES * 60,
    };
  }

  async verify(input: VerifyDto, twoFactorToken: string | undefined, meta: RequestMeta): Promise<SessionDto> {
    const user = await this.users.findByUsernameOrEmail(input.username.trim());
    if (!user) {
      await this.activity.record({
        action: 'auth.login',
        outcome: 'failure',
        meta,
        details: { reason: 'unknown user' },
      });
      throw invalidCode();
    }
    if (this.isLocked(user)) {
      await this.fail(user, meta, 'locked');
      throw new ApiException(
        HttpStatus.UNAUTHORIZED,
        'ACCOUNT_LOCKED',
        'Too many failed attempts: sign-in is locked for a while',
      );
    }
    const challenge = await this.challenges.findLatestOpen(user.id);
    const matches = challenge !== null && SecretBox.digestsEqual(challenge.codeHash, this.codeHash(user.id, input.otp));
    if (!challenge || challenge.expiresAt <= new Date() || !matches) {
      if (challenge) await this.challenges.incrementAttempts(challenge.id);
      await this.countFailure(user, meta, !challenge ? 'no code' : !matches ? 'wrong code' : 'expired code');
      throw invalidCode();
    }
    if (user.totpEnabled) {
      if (!twoFactorToken) {
        throw new ApiException(
          HttpStatus.UNAUTHORIZED,
          'TWO_FACTOR_REQUIRED',
          'This account has two-factor authentication: send X-2FA-Token',
        );
      }
      if (!(await this.twoFactor.accept(user, twoFactorToken.trim()))) {
        await this.countFailure(user, meta, 'wrong second factor');
        throw new ApiException(
          HttpStatus.UNAUTHORIZED,
          'INVALID_TWO_FACTOR',
          'Invalid or already used two-factor code',
        );
      }
    }
    // A user created by an invitation joins its tenant now, so the session can open there.
    await this.invitations.acceptOnSignIn(user.id, meta);
    // Single use, even if two requests raced with the same code.
    if (!(await this.challenges.consume(challenge.id))) throw invalidCode();
    const signedIn = await this.users.recordSuccessfulLogin(user.id);
    const session = await this.sessions.open(signedIn, input.tenant_id, meta);
    await this.activity.record({ action: 'auth.login', tenantId: session.tenant.id, userId: user.id, meta });
    return session;
  }

  refresh(refreshToken: string, meta: RequestMeta): Promise<SessionDto> {
    return this.sessions.refresh(refreshToken, meta, (id) => this.users.findById(id));
  }

  async logout(refreshToken: string, meta: RequestMeta): Promise<void> {
    const owner = await this.sessions.revoke(refreshToken);
    if (owner) await this.activity.record({ action: 'auth.logout', ...owner, meta });
  }

  async switchTenant(auth: AuthContext, tenantId: string, meta: RequestMeta): Promise<SessionDto> {
    const user = await this.users.findById(auth.userId);
    if (!user) throw new ApiException(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'This account no longer exists');
    return this.sessions.open(user, tenantId, meta);
  }

  private isLocked(user: User): boolean {
    return user.lockedUntil !== null && user.lockedUntil > new Date();
  }

  private codeHash(userId: string, code: string): string {
    return this.secrets.hmac(`otp:${userId}:${code}`);
  }

  private async countFailure(user: User, meta: RequestMeta, reason: string): Promise<void> {
    const locked = await this.users.recordFailedAttempt(
      user.id,
      this.config.env.LOGIN_MAX_ATTEMPTS,
      this.config.env.LOGIN_LOCKOUT_MINUTES,
    );
    await this.fail(user, meta, locked ? `${reason}; account locked` : reason);
  }

  private fail(user: User, meta: RequestMeta, reason: string): Promise<void> {
    return this.activity.record({
      action: 'auth.login',
      outcome: 'failure',
      userId: user.id,
      meta,
      details: { reason },
    });
  }
}
