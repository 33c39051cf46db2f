import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';
import type { Membership, Role, Tenant, User } from '../../generated/prisma/client';

export type MembershipWithUser = Membership & { user: User };
export type MembershipWithTenant = Membership & { tenant: Tenant };

@Injectable()
export class MembershipsRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(userId: string, tenantId: string): Promise<(Membership & { user: User }) | null> {
    return this.prisma.membership.findUnique({
      where: { userId_tenantId: { userId, tenantId } },
      include: { user: true },
    });
  }

  /** The member of `tenantId` with this (normalized) username or email, if any. */
  findByIdentityInTenant(tenantId: string, username: string, email: string): Promise<MembershipWithUser | null> {
    return this.prisma.membership.findFirst({
      where: { tenantId, user: { OR: [{ username }, { email }] } },
      include: { user: true },
    });
  }

  /** A membership by id, only within `tenantId` (another tenant's id finds nothing). */
  findInTenant(id: string, tenantId: string): Promise<MembershipWithUser | null> {
    return this.prisma.membership.findFirst({ where: { id, tenantId }, include: { user: true } });
  }

  listForUser(userId: string): Promise<MembershipWithTenant[]> {
    return this.prisma.membership.findMany({
      where: { userId },
      include: { tenant: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  listForTenant(tenantId: string, skip: number, take: number): Promise<[MembershipWithUser[], number]> {
    // Page and total side by side: a transaction gave them no common snapshot (READ COMMITTED), only
    // BEGIN and COMMIT round trips.
    return Promise.all([
      this.prisma.membership.findMany({
        where: { tenantId },
        include: { user: true },
        orderBy: { createdAt: 'asc' },
        skip,
        take,
      }),
      this.prisma.membership.count({ where: { tenantId } }),
    ]);
  }

  create(userId: string, tenantId: string, role: Role): Promise<MembershipWithUser> {
    return this.prisma.membership.create({ data: { userId, tenantId, role }, include: { user: true } });
  }

  /**
   * Changes a role unless that would leave the tenant without an owner. The owner count is read
   * under a row lock on the tenant, so two concurrent demotions cannot both pass.
   */
  async updateRoleKeepingAnOwner(id: string, tenantId: string, role: Role): Promise<MembershipWithUser | 'last-owner'> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${tenantId}::uuid FOR UPDATE`;
      const current = await tx.membership.findFirstOrThrow({ where: { id, tenantId } });
      if (current.role === 'owner' && role !== 'owner') {
        const owners = await tx.membership.count({ where: { tenantId, role: 'owner' } });
        if (owners <= 1) return 'last-owner' as const;
      }
      return tx.membership.update({ where: { id }, data: { role }, include: { user: true } });
    });
  }

  async deleteKeepingAnOwner(id: string, tenantId: string): Promise<'deleted' | 'last-owner'> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${tenantId}::uuid FOR UPDATE`;
      const current = await tx.membership.findFirstOrThrow({ where: { id, tenantId } });
      if (current.role === 'owner') {
        const owners = await tx.membership.count({ where: { tenantId, role: 'owner' } });
        if (owners <= 1) return 'last-owner' as const;
      }
      await tx.membership.delete({ where: { id } });
      return 'deleted' as const;
    });
  }
}
