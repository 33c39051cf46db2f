import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { UsersController } from './users.controller';
import { UsersModule } from './users.module';
import { UsersService } from './users.service';

/** `/users/me`: changing how codes reach you needs proof of the current factor (TwoFactorService). */
@Module({ imports: [UsersModule, AuthModule], controllers: [UsersController], providers: [UsersService] })
export class ProfileModule {}
