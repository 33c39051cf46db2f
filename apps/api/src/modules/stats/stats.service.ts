import { HttpStatus, Injectable } from '@nestjs/common';
import type { AuthContext } from '../../common/auth/auth-context';
import { ApiException } from '../../common/errors/api-exception';
import { ProtectionService } from '../protection/protection.service';
import { nextRuns } from '../schedules/cron-slots';
import type { StatsDto, StatsQueryDto } from './dto/stats.dto';
import { StatsRepository } from './stats.repository';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The window of the `*_24h` counters. */
const WINDOW_MS = DAY_MS;
/** The window of `success_rate_7d`. */
const RATE_WINDOW_MS = 7 * DAY_MS;
/** How many UTC days `daily` covers, today included. */
export const DAILY_DAYS = 30;

const utcDay = (at: Date) => at.toISOString().slice(0, 10);

@Injectable()
export class StatsService {
  constructor(
    private readonly stats: StatsRepository,
    private readonly protection: ProtectionService,
  ) {}

  async get(auth: AuthContext, query: StatsQueryDto = {}, now = this.protection.now()): Promise<StatsDto> {
    if (query.tenant === 'all' && !auth.isInstanceAdmin) {
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        'FORBIDDEN',
        'Only the instance admin may read the stats of every tenant (tenant=all)',
      );
    }
    const tenantId = query.tenant === 'all' ? null : auth.tenantId;
    const counts = await this.stats.counts(tenantId, {
      since: new Date(now.getTime() - WINDOW_MS),
      rateSince: new Date(now.getTime() - RATE_WINDOW_MS),
      firstDay: utcDay(new Date(now.getTime() - (DAILY_DAYS - 1) * DAY_MS)),
      lastDay: utcDay(now),
    });
    const databases = await this.protection.ofTenant(tenantId, now);
    const ended = counts.rateSuccesses + counts.rateFailures;
    return {
      total_databases: counts.databases,
      total_backups_24h: counts.backupsSince,
      successful_backups_24h: counts.successfulSince,
      failed_backups_24h: counts.failedSince,
      total_storage_bytes: Number(counts.storedBytes),
      success_rate_7d: ended ? Math.round((counts.rateSuccesses / ended) * 10_000) / 10_000 : null,
      storages: counts.storages.map((storage) => ({
        id: storage.id,
        tenant_id: storage.tenantId,
        name: storage.name,
        bytes: Number(storage.bytes),
        objects: storage.objects,
      })),
      databases: databases.map(({ row, protection, effectiveMaxAgeHours }) => ({
        id: row.id,
        tenant_id: row.tenantId,
        name: row.name,
        last_success_at: row.lastSuccessAt?.toISOString() ?? null,
        last_failure_at: row.lastFailureAt?.toISOString() ?? null,
        next_run_at:
          row.schedule && row.enabled ? (nextRuns(row.schedule, row.timezone, now, 1)[0]?.toISOString() ?? null) : null,
        protection,
        max_age_hours: effectiveMaxAgeHours,
      })),
      daily: counts.daily.map((day) => ({
        date: day.date,
        successes: day.successes,
        failures: day.failures,
        bytes: Number(day.bytes),
      })),
    };
  }
}
