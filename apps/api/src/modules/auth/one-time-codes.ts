import { Injectable, Logger } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import type { RequestMeta } from '../../common/auth/auth-context';
import { AppConfig } from '../../config/app-config';
import { SecretBox } from '../../crypto/secret-box';
import type { User } from '../../generated/prisma/client';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { LoginChallengesRepository } from './auth.repositories';
import { OtpDelivery } from './otp-delivery';

/** What checking a one-time code found; only `match` carries a code that may be consumed. */
export type CodeCheck = { result: 'match'; challengeId: string } | { result: 'no-code' | 'void' | 'wrong' };

/** The 6-digit codes sent on Discord: issued for sign-in and for confirming account changes. */
@Injectable()
export class OneTimeCodes {
  private readonly logger = new Logger(OneTimeCodes.name);

  constructor(
    private readonly config: AppConfig,
    private readonly challenges: LoginChallengesRepository,
    private readonly secrets: SecretBox,
    private readonly delivery: OtpDelivery,
    private readonly activity: ActivityLogService,
  ) {}

  /** A new code for `user` (replacing any open one), delivered in the background. */
  async issue(user: User, meta: RequestMeta): Promise<void> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = new Date(Date.now() + this.config.env.OTP_EXPIRATION_MINUTES * 60_000);
    await this.challenges.replaceOpen(user.id, this.hash(user.id, code), expiresAt, meta.ip);
    // Delivery runs in the background: how long Discord takes must not reveal that the user exists.
    this.delivery.deliver(user, code).catch((error: unknown) => {
      this.logger.error({ err: error, userId: user.id }, 'Could not deliver a one-time code');
      void this.activity.record({
        event: 'auth.otp.delivery',
        outcome: 'failure',
        level: 'error',
        userId: user.id,
        meta,
      });
    });
  }

  /**
   * Claims one attempt at the user's open code, then compares: atomic, so concurrent guesses get
   * at most LOGIN_MAX_ATTEMPTS comparisons. A code out of attempts is void until a new one is sent.
   */
  async check(user: User, code: string): Promise<CodeCheck> {
    const challenge = await this.challenges.findLatestOpen(user.id);
    if (!challenge) return { result: 'no-code' };
    if (!(await this.challenges.claimAttempt(challenge.id, this.config.env.LOGIN_MAX_ATTEMPTS))) {
      return { result: 'void' };
    }
    if (!SecretBox.digestsEqual(challenge.codeHash, this.hash(user.id, code))) return { result: 'wrong' };
    return { result: 'match', challengeId: challenge.id };
  }

  /** Marks a matched code used; false if a concurrent request used it first. */
  consume(challengeId: string): Promise<boolean> {
    return this.challenges.consume(challengeId);
  }

  /** Checks and uses a code in one go (confirmations). */
  async accept(user: User, code: string): Promise<boolean> {
    const checked = await this.check(user, code);
    return checked.result === 'match' && this.consume(checked.challengeId);
  }

  private hash(userId: string, code: string): string {
    return this.secrets.hmac(`otp:${userId}:${code}`);
  }
}
