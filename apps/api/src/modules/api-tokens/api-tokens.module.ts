import { Global, Module } from '@nestjs/common';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensRepository } from './api-tokens.repository';
import { ApiTokensService } from './api-tokens.service';

@Global()
@Module({
  controllers: [ApiTokensController],
  providers: [ApiTokensService, ApiTokensRepository],
  exports: [ApiTokensRepository],
})
export class ApiTokensModule {}
