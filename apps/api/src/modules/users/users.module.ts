import { Module } from '@nestjs/common';
import { UsersRepository } from './users.repository';

/** The users table, for every module that reads or changes users. */
@Module({ providers: [UsersRepository], exports: [UsersRepository] })
export class UsersModule {}
