import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';
import type { ApiToken, Role, User } from '../../generated/prisma/client';

@Injectable()
export class ApiTokensRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: {
    tenantId: string;
    createdById: string;
    name: string;
    role: Role;
    prefix: string;
    tokenHash: string;
    expiresAt: Date | null;
  }): Promise<ApiToken> {
    return this.prisma.apiToken.create({ data });
  }

  listForTenant(tenantId: string, skip: number, take: number): Promise<[ApiToken[], number]> {
    return this.prisma.$transaction([
      this.prisma.apiToken.findMany({ where: { tenantId }, orderBy: { createdAt: 'desc' }, skip, take }),
      this.prisma.apiToken.count({ where: { tenantId } }),
    ]);
  }

  findInTenant(id: string, tenantId: string): Promise<ApiToken | null> {
    return this.prisma.apiToken.findFirst({ where: { id, tenantId } });
  }

  findByHash(tokenHash: string): Promise<(ApiToken & { createdBy: User | null }) | null> {
    return this.prisma.apiToken.findUnique({ where: { tokenHash }, include: { createdBy: true } });
  }

  revoke(id: string): Promise<ApiToken> {
    return this.prisma.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
  }

  async touch(id: string): Promise<void> {
    await this.prisma.apiToken.update({ where: { id }, data: { lastUsedAt: new Date() } });
  }
}
