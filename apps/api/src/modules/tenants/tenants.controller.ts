import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, ReqMeta, type AuthContext, type RequestMeta } from '../../common/auth/auth-context';
import { Endpoint } from '../../common/decorators/endpoint.decorator';
import { PageQueryDto } from '../../common/pagination/page';
import { IdParam } from '../../common/pipes/id-param';
import { TenantSummaryDto } from '../auth/dto/auth.dto';
import {
  CreateTenantDto,
  InviteMemberDto,
  MemberDto,
  MemberPageDto,
  TenantDto,
  TenantPageDto,
  UpdateMemberDto,
  UpdateTenantDto,
} from './dto/tenant.dto';
import { InvitationDto } from './dto/invitation.dto';
import { INVITATION_DAYS, InvitationsService } from './invitations.service';
import { MembersService } from './members.service';
import { TenantsService } from './tenants.service';

@ApiTags('tenants')
@Controller('tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @Endpoint({ summary: 'The tenants you belong to, with your role in each' })
  @ApiOkResponse({ type: [TenantSummaryDto] })
  listMyTenants(@Auth() auth: AuthContext): Promise<TenantSummaryDto[]> {
    return this.tenants.mine(auth);
  }

  @Post()
  @Endpoint({ summary: 'Create a tenant; you become its owner', instanceAdmin: true, errors: [400, 409] })
  @ApiCreatedResponse({ type: TenantDto })
  createTenant(
    @Auth() auth: AuthContext,
    @Body() input: CreateTenantDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<TenantDto> {
    return this.tenants.create(auth, input, meta);
  }

  @Get('all')
  @Endpoint({ summary: 'Every tenant of this instance', instanceAdmin: true, errors: [400] })
  @ApiOkResponse({ type: TenantPageDto })
  listAllTenants(@Query() query: PageQueryDto) {
    return this.tenants.all(query);
  }

  @Patch(':id')
  @Endpoint({
    summary: 'Rename a tenant (its name, its slug or both)',
    description: 'Members keep their roles; 409 SLUG_TAKEN when another tenant has the slug.',
    instanceAdmin: true,
    errors: [400, 404, 409],
  })
  @ApiOkResponse({ type: TenantDto })
  updateTenant(
    @Auth() auth: AuthContext,
    @IdParam() id: string,
    @Body() input: UpdateTenantDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<TenantDto> {
    return this.tenants.rename(auth, id, input, meta);
  }
}

@ApiTags('members')
@Controller('members')
export class MembersController {
  constructor(
    private readonly members: MembersService,
    private readonly invitations: InvitationsService,
  ) {}

  @Get()
  @Endpoint({ summary: 'Members of the current tenant', errors: [400] })
  @ApiOkResponse({ type: MemberPageDto })
  listMembers(@Auth() auth: AuthContext, @Query() query: PageQueryDto) {
    return this.members.list(auth, query);
  }

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @Endpoint({
    summary: 'Invite a user to the current tenant',
    description:
      'Creates an invitation: the user becomes a member when they accept it (GET /users/me/invitations). ' +
      'The answer is the same whether or not the username and email belong to a user, so it reveals no one: ' +
      'a user is created when both are new (and accepts at first sign-in); an invitation naming no one user ' +
      `cannot be accepted and expires after ${INVITATION_DAYS} days. 409 only for this tenant's own members ` +
      '(ALREADY_MEMBER) and pending invitations (ALREADY_INVITED). You cannot grant a role above your own.',
    role: 'admin',
    errors: [400, 409],
  })
  @ApiAcceptedResponse({ type: InvitationDto })
  inviteMember(
    @Auth() auth: AuthContext,
    @Body() input: InviteMemberDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<InvitationDto> {
    return this.invitations.invite(auth, input, meta);
  }

  @Patch(':id')
  @Endpoint({
    summary: "Change a member's role",
    description: 'The last owner cannot be demoted.',
    role: 'admin',
    errors: [400, 404, 409],
  })
  @ApiOkResponse({ type: MemberDto })
  updateMember(
    @Auth() auth: AuthContext,
    @IdParam() id: string,
    @Body() input: UpdateMemberDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<MemberDto> {
    return this.members.updateRole(auth, id, input, meta);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Endpoint({
    summary: 'Remove a member from the current tenant',
    description: 'The last owner cannot be removed.',
    role: 'admin',
    errors: [400, 404, 409],
  })
  @ApiNoContentResponse({ description: 'Removed.' })
  removeMember(@Auth() auth: AuthContext, @IdParam() id: string, @ReqMeta() meta: RequestMeta): Promise<void> {
    return this.members.remove(auth, id, meta);
  }
}
