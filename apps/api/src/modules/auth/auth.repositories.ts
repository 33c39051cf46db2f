import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';
import type { LoginChallenge, RefreshToken } from '../../generated/prisma/client';

@Injectable()
export class LoginChallengesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** A new code replaces any still-open one: only the latest code works. */
  async replaceOpen(userId: string, codeHash: string, expiresAt: Date, ip: string | null): Promise<LoginChallenge> {
    return this.prisma.$transaction(async (tx) => {
      await tx.loginChallenge.updateMany({ where: { userId, consumedAt: null }, data: { consumedAt: new Date() } });
      return tx.loginChallenge.create({ data: { userId, codeHash, expiresAt, ip } });
    });
  }

  findLatestOpen(userId: string): Promise<LoginChallenge | null> {
    return this.prisma.loginChallenge.findFirst({
      where: { userId, consumedAt: null },
      orderBy: { createdAt: 'desc' },
    });
  }

  /**
   * Claims one attempt at this code before it is compared: atomic, so concurrent guesses cannot
   * exceed `maxAttempts`. False when the code is used, expired or out of attempts (then void).
   */
  async claimAttempt(id: string, maxAttempts: number): Promise<boolean> {
    const { count } = await this.prisma.loginChallenge.updateMany({
      where: { id, consumedAt: null, expiresAt: { gt: new Date() }, attempts: { lt: maxAttempts } },
      data: { attempts: { increment: 1 } },
    });
    return count === 1;
  }

  /** Marks the code used; false if it already was (single use, even under concurrency). */
  async consume(id: string): Promise<boolean> {
    const { count } = await this.prisma.loginChallenge.updateMany({
      where: { id, consumedAt: null },
      data: { consumedAt: new Date() },
    });
    return count === 1;
  }
}

@Injectable()
export class RefreshTokensRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: {
    userId: string;
    tenantId: string;
    familyId: string;
    tokenHash: string;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
  }): Promise<RefreshToken> {
    return this.prisma.refreshToken.create({ data });
  }

  findByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.prisma.refreshToken.findUnique({ where: { tokenHash } });
  }

  /** Revokes one token if still live; false when it was already revoked (a reuse). */
  async revokeIfLive(id: string, replacedById: string | null): Promise<boolean> {
    const { count } = await this.prisma.refreshToken.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: new Date(), replacedById },
    });
    return count === 1;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.prisma.refreshToken.updateMany({
      where: { familyId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
  }
}

@Injectable()
export class RevokedSessionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async exists(sessionId: string): Promise<boolean> {
    return (await this.prisma.revokedSession.findUnique({ where: { sessionId } })) !== null;
  }

  /** Records an ended session; rows older than any access JWT could be are pruned on the way. */
  async add(sessionId: string, keepForMs = 86_400_000): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.revokedSession.deleteMany({ where: { revokedAt: { lt: new Date(Date.now() - keepForMs) } } }),
      // INSERT … ON CONFLICT DO NOTHING: two requests ending the same session at once (a sign-out
      // racing a reused refresh token) both succeed; an upsert would let one fail on the unique key.
      this.prisma.revokedSession.createMany({ data: [{ sessionId }], skipDuplicates: true }),
    ]);
  }
}

@Injectable()
export class RecoveryCodesRepository {
  constructor(private readonly prisma: PrismaService) {}

  async replaceAll(userId: string, codeHashes: string[]): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.recoveryCode.deleteMany({ where: { userId } }),
      this.prisma.recoveryCode.createMany({ data: codeHashes.map((codeHash) => ({ userId, codeHash })) }),
    ]);
  }

  /** Uses a code once; false if it does not exist or was used. */
  async use(userId: string, codeHash: string): Promise<boolean> {
    const { count } = await this.prisma.recoveryCode.updateMany({
      where: { userId, codeHash, usedAt: null },
      data: { usedAt: new Date() },
    });
    return count === 1;
  }

  async deleteAll(userId: string): Promise<void> {
    await this.prisma.recoveryCode.deleteMany({ where: { userId } });
  }
}
