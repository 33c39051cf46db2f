import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { findSetpriv } from './pg-tool-process';
import { sweepAbandonedTempDirs } from './temp-dirs';

const SWEEP_EVERY_MS = 60_000;

/**
 * At boot, and every minute, removes the temporary archive copies dead processes left in
 * RESTORE_TEMP_DIR (see temp-dirs.ts). Says at boot, loudly, when pg_dump and pg_restore
 * could outlive this process (no setpriv).
 */
@Injectable()
export class TempDirSweeper implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TempDirSweeper.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    if (!findSetpriv()) {
      this.logger.warn(
        'setpriv (util-linux) is not on PATH: pg_dump and pg_restore will keep running if this process is killed. Install util-linux.',
      );
    }
    await this.sweep();
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async sweep(): Promise<void> {
    const folder = this.config.env.RESTORE_TEMP_DIR;
    try {
      const removed = await sweepAbandonedTempDirs(folder);
      if (removed.length) this.logger.warn({ folder, removed }, 'removed temporary files left by stopped processes');
    } catch (error) {
      this.logger.warn({ folder, reason: (error as Error).message }, 'could not clean RESTORE_TEMP_DIR');
    }
  }
}
