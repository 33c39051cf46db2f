import { Global, Module } from '@nestjs/common';
import { JobQueue } from './job-queue';

/** The job queue (pg-boss), for every module that sends or works jobs. */
@Global()
@Module({ providers: [JobQueue], exports: [JobQueue] })
export class JobsModule {}
