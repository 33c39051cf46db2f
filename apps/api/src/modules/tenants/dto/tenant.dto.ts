import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsEmail, IsIn, Matches, MaxLength } from 'class-validator';
import { PageDto } from '../../../common/pagination/page';
import { IsName, IsOptionalNonNull, nameSchema } from '../../../common/validation/decorators';
import { USERNAME } from '../../../config/app-config';

const ROLES = ['owner', 'admin', 'operator', 'viewer'] as const;
type RoleName = (typeof ROLES)[number];
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export class TenantDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Acme' }) name: string;
  @ApiProperty({ example: 'acme' }) slug: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}
export class TenantPageDto extends PageDto(TenantDto) {}

export class MemberUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'bob' }) username: string;
  @ApiProperty({ example: 'bob@example.com' }) email: string;
  @ApiProperty({ nullable: true, type: String }) display_name: string | null;
}

export class MemberDto {
  @ApiProperty({ format: 'uuid', description: 'Membership id.' }) id: string;
  @ApiProperty({ enum: ROLES }) role: RoleName;
  @ApiProperty({ type: MemberUserDto }) user: MemberUserDto;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}
export class MemberPageDto extends PageDto(MemberDto) {}

export class InviteMemberDto {
  @ApiProperty({
    example: 'bob',
    description: 'An existing user, or the username of a new one.',
    pattern: USERNAME.source,
  })
  @Matches(USERNAME, { message: 'username must be 3-32 letters, digits, dots, dashes or underscores' })
  username: string;

  @ApiProperty({ example: 'bob@example.com', format: 'email', maxLength: 254 })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ enum: ROLES, example: 'operator' })
  @IsIn(ROLES)
  role: RoleName;

  @ApiPropertyOptional({
    example: '80351110224678912',
    description: 'For a new user: Discord id for bot DMs.',
    pattern: '^\\d{5,25}$',
  })
  @IsOptionalNonNull()
  @Matches(/^\d{5,25}$/, { message: 'discord_user_id must be a Discord user id (digits)' })
  discord_user_id?: string;

  @ApiPropertyOptional({ example: 'Bob Stone', ...nameSchema() })
  @IsOptionalNonNull()
  @IsName()
  display_name?: string;
}

export class UpdateMemberDto {
  @ApiProperty({ enum: ROLES, example: 'admin' })
  @IsIn(ROLES)
  role: RoleName;
}

export class CreateTenantDto {
  @ApiProperty({ example: 'Acme', ...nameSchema() })
  @IsName()
  name: string;

  @ApiProperty({ example: 'acme', description: 'Lowercase letters, digits and dashes; unique.', pattern: SLUG.source })
  @Matches(SLUG, { message: 'slug must be lowercase letters, digits and dashes' })
  slug: string;
}

/** A rename: a new name, a new slug, or both (at least one). */
export class UpdateTenantDto extends PartialType(CreateTenantDto, { skipNullProperties: false }) {}
