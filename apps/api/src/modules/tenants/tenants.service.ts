import { HttpStatus, Injectable } from '@nestjs/common';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context';
import { ApiException, ValidationFailedException, notFound } from '../../common/errors/api-exception';
import type { Tenant } from '../../generated/prisma/client';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import { pageOf, skipTake, type Page, type PageQueryDto } from '../../common/pagination/page';
import type { TenantSummaryDto } from '../auth/dto/auth.dto';
import type { CreateTenantDto, TenantDto, UpdateTenantDto } from './dto/tenant.dto';
import { MembershipsRepository } from './memberships.repository';
import { TenantsRepository } from './tenants.repository';

const slugTaken = () =>
  new ApiException(HttpStatus.CONFLICT, 'SLUG_TAKEN', 'Another tenant has this slug', [
    { field: 'slug', message: 'slug is taken' },
  ]);

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
    if (!tenant) throw slugTaken();
    await this.activity.record({
      event: 'tenant.create',
      tenantId: tenant.id,
      userId: auth.userId,
      resourceType: 'Tenant',
      resourceId: tenant.id,
      resourceName: tenant.name,
      meta,
    });
    return toTenantDto(tenant);
  }

  /** The instance admin renames any tenant (its name, its slug or both). */
  async rename(auth: AuthContext, id: string, input: UpdateTenantDto, meta: RequestMeta): Promise<TenantDto> {
    const changes = {
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.slug !== undefined ? { slug: input.slug } : {}),
    };
    if (Object.keys(changes).length === 0) {
      throw new ValidationFailedException([{ field: 'name', message: 'name or slug is required' }]);
    }
    const tenant = await this.tenants.rename(id, changes);
    if (tenant === 'slug_taken') throw slugTaken();
    if (!tenant) throw notFound('Tenant');
    await this.activity.record({
      event: 'tenant.update',
      tenantId: tenant.id,
      userId: auth.userId,
      resourceType: 'Tenant',
      resourceId: tenant.id,
      resourceName: tenant.name,
      meta,
      details: { changed: Object.keys(changes) },
    });
    return toTenantDto(tenant);
  }

  async all(query: PageQueryDto): Promise<Page<TenantDto>> {
    const { skip, take } = skipTake(query);
    const [rows, total] = await this.tenants.listAll(skip, take);
    return pageOf(rows.map(toTenantDto), total, query);
  }
}
