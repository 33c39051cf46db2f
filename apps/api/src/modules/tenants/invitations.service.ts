import { HttpStatus, Injectable } from '@nestjs/common';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context';
import { roleAtLeast, type Role } from '../../common/auth/roles';
import { ApiException } from '../../common/errors/api-exception';
import { pageOf, skipTake, type Page, type PageQueryDto } from '../../common/pagination/page';
import { Prisma } from '../../generated/prisma/client';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import type { TenantSummaryDto } from '../auth/dto/auth.dto';
import { normalizeIdentity } from '../users/identity';
import { UsersRepository } from '../users/users.repository';
import type { InvitationDto } from './dto/invitation.dto';
import type { InviteMemberDto } from './dto/tenant.dto';
import { InvitationsRepository, type InvitationView } from './invitations.repository';
import { MembershipsRepository } from './memberships.repository';

/** How long an invitation can be accepted. */
export const INVITATION_DAYS = 14;

const notFound = () => new ApiException(HttpStatus.NOT_FOUND, 'NOT_FOUND', 'Invitation not found');

function toDto(row: InvitationView): InvitationDto {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    role: row.role,
    status: row.status,
    tenant: { id: row.tenant.id, name: row.tenant.name, slug: row.tenant.slug },
    invited_by: row.invitedBy ? { username: row.invitedBy.username, display_name: row.invitedBy.displayName } : null,
    expires_at: row.expiresAt.toISOString(),
    created_at: row.createdAt.toISOString(),
  };
}

/**
 * Joining a tenant takes the user's consent: POST /members creates an invitation, which the user
 * accepts or declines. Its answer never depends on whether the username or email exist elsewhere.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly invitations: InvitationsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly users: UsersRepository,
    private readonly activity: ActivityLogService,
  ) {}

  /**
   * Invites `username`/`email` with a role no higher than the caller's. Who they name decides only
   * what happens behind the (identical) answer:
   * - one existing user (both match): that user may accept;
   * - nobody (both unused): the user is created, and accepts automatically at first sign-in;
   * - anything else (one matches, or they name two users): nobody can accept it; it expires.
   * Only what the tenant already knows is refused: its own members and open invitations.
   */
  async invite(auth: AuthContext, input: InviteMemberDto, meta: RequestMeta): Promise<InvitationDto> {
    assertMayGrant(auth, input.role);
    const username = normalizeIdentity(input.username);
    const email = normalizeIdentity(input.email);
    if (await this.memberships.findByIdentityInTenant(auth.tenantId, username, email)) {
      throw new ApiException(HttpStatus.CONFLICT, 'ALREADY_MEMBER', `${username} or ${email} is already a member`);
    }
    const created = await this.createInvitation(auth, input, username, email);
    if (created === 'duplicate') {
      throw new ApiException(
        HttpStatus.CONFLICT,
        'ALREADY_INVITED',
        `An invitation for ${username} or ${email} is already pending: revoke it first`,
      );
    }
    // The log is the tenant's to read: it says what was asked, never whom it reached.
    await this.activity.recordFor(auth, meta, {
      event: 'invitation.create',
      resourceType: 'Invitation',
      resourceId: created.id,
      details: { username, email, role: input.role },
    });
    return toDto(created);
  }

  async listForTenant(auth: AuthContext, query: PageQueryDto): Promise<Page<InvitationDto>> {
    const { skip, take } = skipTake(query);
    const [rows, total] = await this.invitations.listOpenForTenant(auth.tenantId, skip, take);
    return pageOf(rows.map(toDto), total, query);
  }

  async revoke(auth: AuthContext, id: string, meta: RequestMeta): Promise<void> {
    const invitation = await this.invitations.findOpenInTenant(id, auth.tenantId);
    if (!invitation) throw notFound();
    assertMayGrant(auth, invitation.role);
    if (!(await this.invitations.revoke(id, auth.tenantId))) throw notFound();
    await this.activity.recordFor(auth, meta, {
      event: 'invitation.revoke',
      resourceType: 'Invitation',
      resourceId: id,
      details: { username: invitation.username, role: invitation.role },
    });
  }

  /** The caller's own open invitations, from any tenant. */
  async mine(auth: AuthContext): Promise<InvitationDto[]> {
    return (await this.invitations.listOpenForUser(auth.userId)).map(toDto);
  }

  /** Accepts the caller's invitation: they become a member with its role. Anyone else's is a 404. */
  async accept(auth: AuthContext, id: string, meta: RequestMeta): Promise<TenantSummaryDto> {
    const accepted = await this.invitations.accept(id, auth.userId);
    if (!accepted) throw notFound();
    await this.recordAnswer('invitation.accept', accepted.invitation, auth.userId, meta, {
      membership_id: accepted.membership.id,
    });
    const { tenant, role } = accepted.membership;
    return { id: tenant.id, name: tenant.name, slug: tenant.slug, role };
  }

  async decline(auth: AuthContext, id: string, meta: RequestMeta): Promise<void> {
    const declined = await this.invitations.decline(id, auth.userId);
    if (!declined) throw notFound();
    await this.recordAnswer('invitation.decline', declined, auth.userId, meta);
  }

  /**
   * At sign-in, before the session picks a tenant: accepts the invitations that created this user.
   * They had no account to decline with; the invitation is what made it.
   */
  async acceptOnSignIn(userId: string, meta: RequestMeta): Promise<void> {
    for (const invitation of await this.invitations.listOpenForUser(userId, { autoAcceptOnly: true })) {
      const accepted = await this.invitations.accept(invitation.id, userId);
      if (accepted) {
        await this.recordAnswer('invitation.accept', accepted.invitation, userId, meta, {
          membership_id: accepted.membership.id,
          automatic: true,
        });
      }
    }
  }

  private async createInvitation(auth: AuthContext, input: InviteMemberDto, username: string, email: string) {
    const [byUsername, byEmail] = await Promise.all([
      this.users.findByUsername(username),
      // Usernames cannot contain '@', so this finds the user with this email or no one.
      this.users.findByUsernameOrEmail(email),
    ]);
    const base = {
      tenantId: auth.tenantId,
      username,
      email,
      role: input.role,
      invitedById: auth.userId,
      expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
    };
    if (byUsername || byEmail) {
      const sameUser = byUsername && byEmail && byUsername.id === byEmail.id;
      return this.invitations.create({ ...base, userId: sameUser ? byUsername.id : null, autoAccept: false });
    }
    try {
      return await this.invitations.create(
        { ...base, userId: null, autoAccept: true },
        {
          username,
          email,
          displayName: input.display_name ?? null,
          discordUserId: input.discord_user_id ?? null,
          discordDelivery: input.discord_user_id ? 'bot_dm' : 'none',
        },
      );
    } catch (error) {
      // Someone created this username or email meanwhile: invite like any taken identity.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        return this.invitations.create({ ...base, userId: null, autoAccept: false });
      }
      throw error;
    }
  }

  private recordAnswer(
    action: string,
    invitation: InvitationView,
    userId: string,
    meta: RequestMeta,
    details: Record<string, string | boolean> = {},
  ): Promise<void> {
    // In the inviting tenant's log: its admins see the answer.
    return this.activity.record({
      event: action,
      tenantId: invitation.tenantId,
      userId,
      resourceType: 'Invitation',
      resourceId: invitation.id,
      meta,
      details: { username: invitation.username, role: invitation.role, ...details },
    });
  }
}

export function assertMayGrant(auth: AuthContext, role: Role): void {
  if (!roleAtLeast(auth.role, role)) {
    throw new ApiException(
      HttpStatus.FORBIDDEN,
      'FORBIDDEN',
      `Only a ${role} or higher may do this; you are ${auth.role}`,
    );
  }
}
