import { HttpStatus, Injectable } from '@nestjs/common';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context';
import { ApiException } from '../../common/errors/api-exception';
import type { Tenant } from '../../generated/prisma/client';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { pageOf, skipTake, type Page, type PageQueryDto } from '../../common/pagination/page';
import type { TenantSummaryDto } from '../auth/dto/auth.dto';
import type { CreateTenantDto, TenantDto } from './dto/tenant.dto';
import { MembershipsRepository } from './memberships.repository';
import { TenantsRepository } from './tenants.repository';

function toTenantDto(tenant: Tenant): TenantDto {
  return { id: tenant.id, name: tenant.name, slug: tenant.slug, created_at: tenant.createdAt.toISOString() };
}

@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly activity: ActivityLogService,
  ) {}

  async mine(auth: AuthContext): Promise<TenantSummaryDto[]> {
    const rows = await this.memberships.listForUser(auth.userId);
    return rows.map((m) => ({ id: m.tenant.id, name: m.tenant.name, slug: m.tenant.slug, role: m.role }));
  }

  /** The instance admin creates a tenant and becomes its first owner (who can then invite others). */
  async create(auth: AuthContext, input: CreateTenantDto, meta: RequestMeta): Promise<TenantDto> {
    const tenant = await this.tenants.createOwnedBy({ name: input.name.trim(), slug: input.slug }, auth.userId);
    if (!tenant) {
      throw new ApiException(HttpStatus.CONFLICT, 'SLUG_TAKEN', 'Another tenant has this slug', [
        { field: 'slug', message: 'slug is taken' },
      ]);
    }
    await this.activity.record({
      event: 'tenant.create',
      tenantId: tenant.id,
      userId: auth.userId,
      resourceType: 'Tenant',
      resourceId: tenant.id,
      meta,
    });
    return toTenantDto(tenant);
  }

  async all(query: PageQueryDto): Promise<Page<TenantDto>> {
    const { skip, take } = skipTake(query);
    const [rows, total] = await this.tenants.listAll(skip, take);
    return pageOf(rows.map(toTenantDto), total, query);
  }
}
