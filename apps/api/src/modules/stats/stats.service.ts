import { Injectable } from '@nestjs/common';
import type { AuthContext } from '../../common/auth/auth-context';
import type { StatsDto } from './dto/stats.dto';
import { StatsRepository } from './stats.repository';

/** The window of the `*_24h` counters. */
const WINDOW_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class StatsService {
  constructor(private readonly stats: StatsRepository) {}

  async get(auth: AuthContext, now = new Date()): Promise<StatsDto> {
    const counts = await this.stats.counts(auth.tenantId, new Date(now.getTime() - WINDOW_MS));
    return {
      total_databases: counts.databases,
      total_backups_24h: counts.backupsSince,
      successful_backups_24h: counts.successfulSince,
      failed_backups_24h: counts.failedSince,
      total_storage_bytes: Number(counts.storedBytes),
    };
  }
}
