import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { PgClientResolver } from './pg-client-resolver';
import { TempDirSweeper } from './temp-dir-sweeper';

/** The backup engine's building blocks, shared by the API and (later) the worker. */
@Global()
@Module({
  providers: [
    {
      provide: PgClientResolver,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new PgClientResolver({ binDirTemplate: config.env.PG_BIN_DIR_TEMPLATE }),
    },
    TempDirSweeper,
  ],
  exports: [PgClientResolver],
})
export class EngineModule {}
