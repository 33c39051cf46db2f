import { HttpStatus, Injectable } from '@nestjs/common';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context';
import { roleAtLeast } from '../../common/auth/roles';
import { ApiException } from '../../common/errors/api-exception';
import { pageOf, skipTake, type Page, type PageQueryDto } from '../../common/pagination/page';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import type { MemberDto, UpdateMemberDto } from './dto/tenant.dto';
import { MembershipsRepository, type MembershipWithUser } from './memberships.repository';

const notFound = () => new ApiException(HttpStatus.NOT_FOUND, 'NOT_FOUND', 'Member not found');
const lastOwner = () =>
  new ApiException(HttpStatus.CONFLICT, 'LAST_OWNER', 'A tenant always keeps an owner: make someone else owner first');

function toDto(m: MembershipWithUser): MemberDto {
  return {
    id: m.id,
    role: m.role,
    user: { id: m.user.id, username: m.user.username, email: m.user.email, display_name: m.user.displayName },
    created_at: m.createdAt.toISOString(),
  };
}

@Injectable()
export class MembersService {
  constructor(
    private readonly memberships: MembershipsRepository,
    private readonly activity: ActivityLogService,
  ) {}

  async list(auth: AuthContext, query: PageQueryDto): Promise<Page<MemberDto>> {
    const { skip, take } = skipTake(query);
    const [rows, total] = await this.memberships.listForTenant(auth.tenantId, skip, take);
    return pageOf(rows.map(toDto), total, query);
  }

  async updateRole(auth: AuthContext, id: string, input: UpdateMemberDto, meta: RequestMeta): Promise<MemberDto> {
    const target = await this.memberships.findInTenant(id, auth.tenantId);
    if (!target) throw notFound();
    // Nobody changes a member who outranks them, or grants more than they have.
    this.assertMayGrant(auth, target.role);
    this.assertMayGrant(auth, input.role);
    const updated = await this.memberships.updateRoleKeepingAnOwner(id, auth.tenantId, input.role);
    if (updated === 'last-owner') throw lastOwner();
    await this.activity.recordFor(auth, meta, {
      event: 'membership.update',
      resourceType: 'Membership',
      resourceId: id,
      details: { username: target.user.username, from: target.role, to: input.role },
    });
    return toDto(updated);
  }

  async remove(auth: AuthContext, id: string, meta: RequestMeta): Promise<void> {
    const target = await this.memberships.findInTenant(id, auth.tenantId);
    if (!target) throw notFound();
    this.assertMayGrant(auth, target.role);
    if ((await this.memberships.deleteKeepingAnOwner(id, auth.tenantId)) === 'last-owner') throw lastOwner();
    await this.activity.recordFor(auth, meta, {
      event: 'membership.delete',
      resourceType: 'Membership',
      resourceId: id,
      details: { username: target.user.username, role: target.role },
    });
  }

  private assertMayGrant(auth: AuthContext, role: MemberDto['role']): void {
    if (!roleAtLeast(auth.role, role)) {
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        'FORBIDDEN',
        `Only a ${role} or higher may do this; you are ${auth.role}`,
      );
    }
  }
}
