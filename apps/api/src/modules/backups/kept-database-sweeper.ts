import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { RestoreRunner } from './restore-runner';

const EVERY_MS = 5 * 60_000;

/**
 * Drops the previous databases that swap restores kept, once RESTORE_KEEP_PREVIOUS_HOURS have
 * passed (at boot, then every five minutes). A database that cannot be dropped now (its server
 * is down, someone is connected as a superuser) is tried again on the next round.
 */
@Injectable()
export class KeptDatabaseSweeper implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(KeptDatabaseSweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly restores: RestoreRunner) {}

  onModuleInit(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const dropped = await this.restores.dropExpiredKept();
      if (dropped) this.logger.log({ dropped }, 'dropped kept databases');
    } catch (error) {
      this.logger.warn({ reason: (error as Error).message }, 'could not drop kept databases');
    } finally {
      this.running = false;
    }
  }
}
