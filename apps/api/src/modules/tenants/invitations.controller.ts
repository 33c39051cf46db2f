import { Controller, Delete, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, ReqMeta, type AuthContext, type RequestMeta } from '../../common/auth/auth-context';
import { Endpoint } from '../../common/decorators/endpoint.decorator';
import { PageQueryDto } from '../../common/pagination/page';
import { IdParam } from '../../common/pipes/id-param';
import { TenantSummaryDto } from '../auth/dto/auth.dto';
import { InvitationDto, InvitationPageDto } from './dto/invitation.dto';
import { InvitationsService } from './invitations.service';

/** The current tenant's pending invitations (POST /members creates them). */
@ApiTags('members')
@Controller('invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Get()
  @Endpoint({ summary: "The current tenant's pending invitations", role: 'admin', errors: [400] })
  @ApiOkResponse({ type: InvitationPageDto })
  listInvitations(@Auth() auth: AuthContext, @Query() query: PageQueryDto) {
    return this.invitations.listForTenant(auth, query);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Endpoint({
    summary: 'Revoke a pending invitation',
    description: 'Only for invitations with a role no higher than your own.',
    role: 'admin',
    errors: [400, 404],
  })
  @ApiNoContentResponse({ description: 'Revoked.' })
  revokeInvitation(@Auth() auth: AuthContext, @IdParam() id: string, @ReqMeta() meta: RequestMeta): Promise<void> {
    return this.invitations.revoke(auth, id, meta);
  }
}

/** Invitations addressed to the signed-in user, from any tenant. */
@ApiTags('users')
@Controller('users/me/invitations')
export class MyInvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Get()
  @Endpoint({ summary: 'Your pending invitations to other tenants', sessionOnly: true })
  @ApiOkResponse({ type: [InvitationDto] })
  listMyInvitations(@Auth() auth: AuthContext): Promise<InvitationDto[]> {
    return this.invitations.mine(auth);
  }

  @Post(':id/accept')
  @HttpCode(HttpStatus.OK)
  @Endpoint({
    summary: 'Accept an invitation: you become a member of its tenant',
    description: 'Answers the tenant you joined; open a session in it with POST /auth/switch-tenant.',
    sessionOnly: true,
    errors: [400, 404],
  })
  @ApiOkResponse({ type: TenantSummaryDto })
  acceptInvitation(
    @Auth() auth: AuthContext,
    @IdParam() id: string,
    @ReqMeta() meta: RequestMeta,
  ): Promise<TenantSummaryDto> {
    return this.invitations.accept(auth, id, meta);
  }

  @Post(':id/decline')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Endpoint({ summary: 'Decline an invitation', sessionOnly: true, errors: [400, 404] })
  @ApiNoContentResponse({ description: 'Declined.' })
  declineInvitation(@Auth() auth: AuthContext, @IdParam() id: string, @ReqMeta() meta: RequestMeta): Promise<void> {
    return this.invitations.decline(auth, id, meta);
  }
}
