import { ApiProperty } from '@nestjs/swagger';
import { PageDto } from '../../../common/pagination/page';

const ROLES = ['owner', 'admin', 'operator', 'viewer'] as const;
const STATUSES = ['pending', 'accepted', 'declined', 'revoked'] as const;

export class InvitationTenantDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Acme' }) name: string;
  @ApiProperty({ example: 'acme' }) slug: string;
}

export class InvitationInviterDto {
  @ApiProperty({ example: 'alice' }) username: string;
  @ApiProperty({ nullable: true, type: String }) display_name: string | null;
}

/**
 * An invitation to join a tenant. To the tenant's admins it shows only what they typed: never
 * whether the username or email belong to someone.
 */
export class InvitationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'bob', description: 'The invited username, as typed (lower-case).' }) username: string;
  @ApiProperty({ example: 'bob@example.com' }) email: string;
  @ApiProperty({ enum: ROLES, description: 'The role the user gets on accepting.' }) role: (typeof ROLES)[number];
  @ApiProperty({ enum: STATUSES }) status: (typeof STATUSES)[number];
  @ApiProperty({ type: InvitationTenantDto }) tenant: InvitationTenantDto;
  @ApiProperty({ type: InvitationInviterDto, nullable: true }) invited_by: InvitationInviterDto | null;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}
export class InvitationPageDto extends PageDto(InvitationDto) {}
