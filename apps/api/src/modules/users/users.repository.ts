import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';
import type { Prisma, User } from '../../generated/prisma/client';
import { normalizeIdentity } from './identity';

/** A user's username and email in their stored (normalized) form. */
export function normalizedUser<T extends { username: string; email: string }>(data: T): T {
  return { ...data, username: normalizeIdentity(data.username), email: normalizeIdentity(data.email) };
}

@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  findById(id: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { id } });
  }

  /**
   * Exact match on the normalized form (Prisma's `mode: 'insensitive'` compiles to ILIKE, which
   * made `_`, `%` and `\\` wildcards). An email never equals a username: usernames have no `@`.
   */
  findByUsernameOrEmail(identifier: string): Promise<User | null> {
    const normalized = normalizeIdentity(identifier);
    return this.prisma.user.findFirst({ where: { OR: [{ username: normalized }, { email: normalized }] } });
  }

  findByUsername(username: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { username: normalizeIdentity(username) } });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { email: normalizeIdentity(email) } });
  }

  create(data: Prisma.UserCreateInput): Promise<User> {
    return this.prisma.user.create({ data: normalizedUser(data) });
  }

  update(id: string, data: Prisma.UserUpdateInput): Promise<User> {
    return this.prisma.user.update({ where: { id }, data });
  }

  /**
   * Claims one sign-in attempt for the account before any code is compared, in one statement, so
   * concurrent guesses cannot all slip under the limit. The claim that reaches `maxAttempts` sets
   * the lock (that attempt is still evaluated; a success clears it). After a lock has ended the
   * count starts again. Returns false while the account is locked: nothing may be compared then.
   */
  async claimLoginAttempt(id: string, maxAttempts: number, lockoutMinutes: number): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE users SET
        failed_login_attempts = CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_login_attempts + 1 END,
        locked_until = CASE
          WHEN (CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_login_attempts + 1 END) >= ${maxAttempts}
          THEN now() + make_interval(mins => ${lockoutMinutes}::int)
          ELSE NULL END
      WHERE id = ${id}::uuid AND (locked_until IS NULL OR locked_until <= now())
      RETURNING id`;
    return rows.length === 1;
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
