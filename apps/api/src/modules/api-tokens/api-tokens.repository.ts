import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';
import type { ApiToken, Role } from '../../generated/prisma/client';

export type ApiTokenForAuth = Pick<
  ApiToken,
  'id' | 'tenantId' | 'createdById' | 'role' | 'expiresAt' | 'lastUsedAt' | 'revokedAt'
> & { creatorRole: Role | null };

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
    // Page and total side by side: a transaction gave them no common snapshot (READ COMMITTED), only
    // BEGIN and COMMIT round trips.
    return Promise.all([
      this.prisma.apiToken.findMany({ where: { tenantId }, orderBy: { createdAt: 'desc' }, skip, take }),
      this.prisma.apiToken.count({ where: { tenantId } }),
    ]);
  }

  findInTenant(id: string, tenantId: string): Promise<ApiToken | null> {
    return this.prisma.apiToken.findFirst({ where: { id, tenantId } });
  }

  /**
   * What a request with this token needs, in one round trip (every API-token request runs it): the
   * token and its creator's role in the token's tenant now (null: no longer a member, or deleted).
   */
  async findForAuth(tokenHash: string): Promise<ApiTokenForAuth | null> {
    const rows = await this.prisma.$queryRaw<
      {
        id: string;
        tenant_id: string;
        created_by_id: string | null;
        role: Role;
        expires_at: Date | null;
        last_used_at: Date | null;
        revoked_at: Date | null;
        creator_role: Role | null;
      }[]
    >`
      SELECT t.id, t.tenant_id, t.created_by_id, t.role::text AS role, t.expires_at, t.last_used_at,
             t.revoked_at, m.role::text AS creator_role
      FROM api_tokens t
      LEFT JOIN memberships m ON m.user_id = t.created_by_id AND m.tenant_id = t.tenant_id
      WHERE t.token_hash = ${tokenHash}`;
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      tenantId: row.tenant_id,
      createdById: row.created_by_id,
      role: row.role,
      expiresAt: row.expires_at && new Date(row.expires_at),
      lastUsedAt: row.last_used_at && new Date(row.last_used_at),
      revokedAt: row.revoked_at && new Date(row.revoked_at),
      creatorRole: row.creator_role,
    };
  }

  revoke(id: string): Promise<ApiToken> {
    return this.prisma.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
  }

  /**
   * Sets last_used_at to `now` unless it is already later than `staleBefore`. The condition is in the
   * WHERE clause, so concurrent requests (and processes) that all saw an old value write it once.
   */
  async touch(id: string, now: Date, staleBefore: Date): Promise<void> {
    await this.prisma.apiToken.updateMany({
      where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] },
      data: { lastUsedAt: now },
    });
  }
}
