import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';
import type { Prisma, User } from '../../generated/prisma/client';

@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  findById(id: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { id } });
  }

  /** Usernames and emails are matched case-insensitively. */
  findByUsernameOrEmail(identifier: string): Promise<User | null> {
    return this.prisma.user.findFirst({
      where: {
        OR: [
          { username: { equals: identifier, mode: 'insensitive' } },
          { email: { equals: identifier, mode: 'insensitive' } },
        ],
      },
    });
  }

  findByUsername(username: string): Promise<User | null> {
    return this.prisma.user.findFirst({ where: { username: { equals: username, mode: 'insensitive' } } });
  }

  create(data: Prisma.UserCreateInput): Promise<User> {
    return this.prisma.user.create({ data });
  }

  update(id: string, data: Prisma.UserUpdateInput): Promise<User> {
    return this.prisma.user.update({ where: { id }, data });
  }

  /** Counts a failed sign-in; locks the account once `maxAttempts` is reached. Returns whether it is now locked. */
  async recordFailedAttempt(id: string, maxAttempts: number, lockoutMinutes: number): Promise<boolean> {
    const user = await this.prisma.user.update({ where: { id }, data: { failedLoginAttempts: { increment: 1 } } });
    if (user.failedLoginAttempts < maxAttempts) return false;
    await this.prisma.user.update({
      where: { id },
      data: { lockedUntil: new Date(Date.now() + lockoutMinutes * 60_000), failedLoginAttempts: 0 },
    });
    return true;
  }

  recordSuccessfulLogin(id: string): Promise<User> {
    return this.prisma.user.update({
      where: { id },
      data: { failedLoginAttempts: 0, lockedUntil: null, lastLoginAt: new Date() },
    });
  }

  /**
   * Accepts a TOTP time step only if it is newer than the last one used: atomic, so the same
   * code cannot be replayed even by two concurrent requests.
   */
  async claimTotpStep(id: string, step: number): Promise<boolean> {
    const { count } = await this.prisma.user.updateMany({
      where: { id, OR: [{ totpLastUsedStep: null }, { totpLastUsedStep: { lt: BigInt(step) } }] },
      data: { totpLastUsedStep: BigInt(step) },
    });
    return count === 1;
  }
}
