import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';
import type { Invitation, Membership, Prisma, Role, Tenant, User } from '../../generated/prisma/client';

export type InvitationView = Invitation & {
  tenant: Tenant;
  invitedBy: Pick<User, 'username' | 'displayName'> | null;
};

const VIEW = { tenant: true, invitedBy: { select: { username: true, displayName: true } } } as const;

export interface NewInvitation {
  tenantId: string;
  userId: string | null;
  username: string;
  email: string;
  role: Role;
  invitedById: string;
  autoAccept: boolean;
  expiresAt: Date;
}

/** Still open: pending and not expired. */
const open = (): Prisma.InvitationWhereInput => ({ status: 'pending', expiresAt: { gt: new Date() } });

@Injectable()
export class InvitationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Creates an invitation, and with `newUser` that user first, in one transaction. Refused
   * ('duplicate') while an open invitation of the tenant names the same username or email: the
   * check runs under a row lock on the tenant, so two concurrent invites cannot both pass.
   */
  create(invitation: Omit<NewInvitation, 'userId'> & { userId: string | null }, newUser?: Prisma.UserCreateInput) {
    return this.prisma.$transaction(async (tx): Promise<InvitationView | 'duplicate'> => {
      await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${invitation.tenantId}::uuid FOR UPDATE`;
      const duplicate = await tx.invitation.findFirst({
        where: {
          tenantId: invitation.tenantId,
          ...open(),
          OR: [{ username: invitation.username }, { email: invitation.email }],
        },
      });
      if (duplicate) return 'duplicate';
      const userId = newUser ? (await tx.user.create({ data: newUser })).id : invitation.userId;
      return tx.invitation.create({ data: { ...invitation, userId }, include: VIEW });
    });
  }

  listOpenForTenant(tenantId: string, skip: number, take: number): Promise<[InvitationView[], number]> {
    const where = { tenantId, ...open() };
    // Page and total side by side: a transaction gave them no common snapshot (READ COMMITTED), only
    // BEGIN and COMMIT round trips.
    return Promise.all([
      this.prisma.invitation.findMany({ where, include: VIEW, orderBy: { createdAt: 'asc' }, skip, take }),
      this.prisma.invitation.count({ where }),
    ]);
  }

  /** A user's open invitations (a handful: at most one per tenant and identity). */
  listOpenForUser(userId: string, options: { autoAcceptOnly?: boolean } = {}): Promise<InvitationView[]> {
    return this.prisma.invitation.findMany({
      where: { userId, ...open(), ...(options.autoAcceptOnly ? { autoAccept: true } : {}) },
      include: VIEW,
      orderBy: { createdAt: 'asc' },
      take: 100,
    });
  }

  findOpenInTenant(id: string, tenantId: string): Promise<InvitationView | null> {
    return this.prisma.invitation.findFirst({ where: { id, tenantId, ...open() }, include: VIEW });
  }

  /**
   * Accepts `userId`'s own open invitation and makes them a member, atomically; null when there is
   * no such invitation (someone else's, expired or already answered). A membership the user already
   * has is kept as it is.
   */
  accept(id: string, userId: string) {
    return this.prisma.$transaction(
      async (tx): Promise<{ invitation: InvitationView; membership: Membership & { tenant: Tenant } } | null> => {
        // One conditional update: of two concurrent answers only one finds it pending.
        const { count } = await tx.invitation.updateMany({
          where: { id, userId, ...open() },
          data: { status: 'accepted', respondedAt: new Date() },
        });
        if (count !== 1) return null;
        const invitation = await tx.invitation.findUniqueOrThrow({ where: { id }, include: VIEW });
        const key = { userId_tenantId: { userId, tenantId: invitation.tenantId } };
        const membership =
          (await tx.membership.findUnique({ where: key, include: { tenant: true } })) ??
          (await tx.membership.create({
            data: { userId, tenantId: invitation.tenantId, role: invitation.role },
            include: { tenant: true },
          }));
        return { invitation, membership };
      },
    );
  }

  /** Declines `userId`'s own open invitation; null when there is none. */
  async decline(id: string, userId: string): Promise<InvitationView | null> {
    const { count } = await this.prisma.invitation.updateMany({
      where: { id, userId, ...open() },
      data: { status: 'declined', respondedAt: new Date() },
    });
    return count === 1 ? this.prisma.invitation.findUnique({ where: { id }, include: VIEW }) : null;
  }

  /** Revokes an open invitation of the tenant; false when there is none. */
  async revoke(id: string, tenantId: string): Promise<boolean> {
    const { count } = await this.prisma.invitation.updateMany({
      where: { id, tenantId, ...open() },
      data: { status: 'revoked', respondedAt: new Date() },
    });
    return count === 1;
  }

  /** Deletes the invitations nobody answered before they expired (no one can answer them any more). */
  async deleteExpired(): Promise<number> {
    const { count } = await this.prisma.invitation.deleteMany({
      where: { status: 'pending', expiresAt: { lte: new Date() } },
    });
    return count;
  }
}
