import { Global, Module } from '@nestjs/common';
import { DiscordClient } from './discord-client';

@Global()
@Module({ providers: [DiscordClient], exports: [DiscordClient] })
export class DiscordModule {}
