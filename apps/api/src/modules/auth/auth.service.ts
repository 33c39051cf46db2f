import { HttpStatus, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../../config/app-config';
import { ApiException } from '../../common/errors/api-exception';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context';
import type { User } from '../../generated/prisma/client';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { InvitationsService } from '../tenants/invitations.service';
import { UsersRepository } from '../users/users.repository';
import type { LoginAcceptedDto, SessionDto, VerifyDto } from './dto/auth.dto';
import { OneTimeCodes } from './one-time-codes';
import { SessionService } from './session.service';
import { TwoFactorService } from './two-factor.service';

/** Login and verify answers take at least this long, so known and unknown users cannot be told apart by timing. */
const LOGIN_RESPONSE_FLOOR_MS = 250;

const invalidCode = () => new ApiException(HttpStatus.UNAUTHORIZED, 'INVALID_CODE', 'Invalid or expired code');

@Injectable()
export class AuthService {
  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly codes: OneTimeCodes,
    private readonly sessions: SessionService,
    private readonly twoFactor: TwoFactorService,
    private readonly activity: ActivityLogService,
    private readonly invitations: InvitationsService,
  ) {}

  /** Sends a code if the account exists and is not locked; the answer is the same either way. */
  async login(identifier: string, meta: RequestMeta): Promise<LoginAcceptedDto> {
    const started = Date.now();
    const user = await this.users.findByUsernameOrEmail(identifier);
    if (user && !this.isLocked(user)) await this.codes.issue(user, meta);
    await sleep(Math.max(0, LOGIN_RESPONSE_FLOOR_MS - (Date.now() - started)));
    return {
      message: 'If this account exists, a sign-in code was sent to its Discord.',
      expires_in_seconds: this.config.env.OTP_EXPIRATION_MINUTES * 60,
    };
  }

  /**
   * Every failure answers the same INVALID_CODE after the same minimum time, whether the account
   * is unknown, locked, out of attempts or the code is wrong: nothing tells an outsider which.
   */
  async verify(input: VerifyDto, twoFactorToken: string | undefined, meta: RequestMeta): Promise<SessionDto> {
    const started = Date.now();
    try {
      return await this.verifyCodes(input, twoFactorToken, meta);
    } finally {
      await sleep(Math.max(0, LOGIN_RESPONSE_FLOOR_MS - (Date.now() - started)));
    }
  }

  private async verifyCodes(
    input: VerifyDto,
    twoFactorToken: string | undefined,
    meta: RequestMeta,
  ): Promise<SessionDto> {
    const user = await this.users.findByUsernameOrEmail(input.username);
    if (!user) {
      await this.activity.record({
        event: 'auth.login',
        outcome: 'failure',
        meta,
        details: { reason: 'unknown user' },
      });
      throw invalidCode();
    }
    // Attempts are claimed before anything is compared (atomically), so a burst of concurrent
    // guesses gets no more evaluations than the limits allow.
    const { LOGIN_ACCOUNT_MAX_ATTEMPTS, LOGIN_LOCKOUT_MINUTES } = this.config.env;
    if (!(await this.users.claimLoginAttempt(user.id, LOGIN_ACCOUNT_MAX_ATTEMPTS, LOGIN_LOCKOUT_MINUTES))) {
      await this.fail(user, meta, 'account locked');
      throw invalidCode();
    }
    const code = await this.codes.check(user, input.otp);
    if (code.result !== 'match') {
      // A void code (expired or out of attempts) stays void: only a new code from /auth/login works.
      await this.fail(
        user,
        meta,
        code.result === 'wrong' ? 'wrong code' : `${code.result}: code expired, used or out of attempts`,
      );
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
        await this.fail(user, meta, 'wrong second factor');
        throw new ApiException(
          HttpStatus.UNAUTHORIZED,
          'INVALID_TWO_FACTOR',
          'Invalid or already used two-factor code',
        );
      }
    }
    // Single use, even if two requests raced with the same code.
    if (!(await this.codes.consume(code.challengeId))) throw invalidCode();
    const signedIn = await this.users.recordSuccessfulLogin(user.id);
    // A user created by an invitation joins its tenant now, so the session can open there.
    await this.invitations.acceptOnSignIn(user.id, meta);
    const session = await this.sessions.open(signedIn, input.tenant_id, meta);
    await this.activity.record({ event: 'auth.login', tenantId: session.tenant.id, userId: user.id, meta });
    return session;
  }

  /** Sends a fresh one-time code to the signed-in user, for confirmCurrentFactor. */
  async sendConfirmationCode(userId: string, meta: RequestMeta): Promise<LoginAcceptedDto> {
    const user = await this.users.findById(userId);
    if (!user) throw new ApiException(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'This account no longer exists');
    await this.codes.issue(user, meta);
    return {
      message: 'A confirmation code was sent to your Discord.',
      expires_in_seconds: this.config.env.OTP_EXPIRATION_MINUTES * 60,
    };
  }

  refresh(refreshToken: string, meta: RequestMeta): Promise<SessionDto> {
    return this.sessions.refresh(refreshToken, meta, (id) => this.users.findById(id));
  }

  async logout(refreshToken: string, meta: RequestMeta): Promise<void> {
    const owner = await this.sessions.revoke(refreshToken);
    if (owner) await this.activity.record({ event: 'auth.logout', ...owner, meta });
  }

  async switchTenant(auth: AuthContext, tenantId: string, meta: RequestMeta): Promise<SessionDto> {
    const user = await this.users.findById(auth.userId);
    if (!user) throw new ApiException(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'This account no longer exists');
    return this.sessions.open(user, tenantId, meta);
  }

  private isLocked(user: User): boolean {
    return user.lockedUntil !== null && user.lockedUntil > new Date();
  }

  private fail(user: User, meta: RequestMeta, reason: string): Promise<void> {
    return this.activity.record({
      event: 'auth.login',
      outcome: 'failure',
      userId: user.id,
      meta,
      details: { reason },
    });
  }
}
