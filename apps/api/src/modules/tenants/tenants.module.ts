import { Global, Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { MembersService } from './members.service';
import { MembershipsRepository } from './memberships.repository';
import { MembersController, TenantsController } from './tenants.controller';
import { TenantsRepository } from './tenants.repository';
import { TenantsService } from './tenants.service';

@Global()
@Module({
  imports: [UsersModule],
  controllers: [TenantsController, MembersController],
  providers: [TenantsService, MembersService, TenantsRepository, MembershipsRepository],
  exports: [MembershipsRepository, TenantsRepository],
})
export class TenantsModule {}
