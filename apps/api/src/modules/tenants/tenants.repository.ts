import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';
import { Prisma, type Tenant } from '../../generated/prisma/client';
import { normalizedUser } from '../users/users.repository';

@Injectable()
export class TenantsRepository {
  constructor(private readonly prisma: PrismaService) {}

  listAll(skip: number, take: number): Promise<[Tenant[], number]> {
    // Page and total side by side: a transaction gave them no common snapshot (READ COMMITTED), only
    // BEGIN and COMMIT round trips.
    return Promise.all([
      this.prisma.tenant.findMany({ orderBy: { createdAt: 'asc' }, skip, take }),
      this.prisma.tenant.count(),
    ]);
  }

  /** A new tenant with `ownerId` as its owner; null when the slug is taken. */
  async createOwnedBy(data: { name: string; slug: string }, ownerId: string): Promise<Tenant | null> {
    try {
      return await this.prisma.tenant.create({
        data: { ...data, memberships: { create: { userId: ownerId, role: 'owner' } } },
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return null;
      throw error;
    }
  }

  /** Renames a tenant; null when it does not exist, 'slug_taken' when another tenant has the slug. */
  async rename(id: string, data: { name?: string; slug?: string }): Promise<Tenant | null | 'slug_taken'> {
    try {
      return await this.prisma.tenant.update({ where: { id }, data });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError) {
        if (error.code === 'P2025') return null;
        if (error.code === 'P2002') return 'slug_taken';
      }
      throw error;
    }
  }

  /** Creates a user, a tenant and the user's owner membership, atomically. */
  createWithOwner(tenant: Prisma.TenantCreateInput, owner: Prisma.UserCreateInput): Promise<Tenant> {
    return this.prisma.$transaction(async (tx) => {
      const user = await tx.user.create({ data: normalizedUser(owner) });
      return tx.tenant.create({ data: { ...tenant, memberships: { create: { userId: user.id, role: 'owner' } } } });
    });
  }
}
