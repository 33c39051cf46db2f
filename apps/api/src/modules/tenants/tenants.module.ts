import { Global, Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { InvitationsController, MyInvitationsController } from './invitations.controller';
import { InvitationsRepository } from './invitations.repository';
import { InvitationsService } from './invitations.service';
import { MembersService } from './members.service';
import { MembershipsRepository } from './memberships.repository';
import { MembersController, TenantsController } from './tenants.controller';
import { TenantsRepository } from './tenants.repository';
import { TenantsService } from './tenants.service';

@Global()
@Module({
  imports: [UsersModule],
  controllers: [TenantsController, MembersController, InvitationsController, MyInvitationsController],
  providers: [
    TenantsService,
    MembersService,
    InvitationsService,
    TenantsRepository,
    MembershipsRepository,
    InvitationsRepository,
  ],
  // InvitationsService: sign-in accepts the invitations that created the user; InvitationsRepository:
  // the daily clean-up (Maintenance) deletes expired ones.
  exports: [MembershipsRepository, TenantsRepository, InvitationsService, InvitationsRepository],
})
export class TenantsModule {}
