import { Injectable } from '@nestjs/common';
import { Clock } from '../schedules/clock';
import { maxAgeMs, protectionOf, type Protection } from './protection';
import { ProtectionRepository, type ProtectionRow } from './protection.repository';

const HOUR_MS = 3_600_000;

export interface Assessment {
  protection: Protection;
  /** The maximum age in force, in hours (max_age_hours, else twice the schedule's longest gap); null: none. */
  effectiveMaxAgeHours: number | null;
  maxAgeMs: number | null;
}

/** The protection of databases as of the injected clock, by the one rule of protection.ts. */
@Injectable()
export class ProtectionService {
  constructor(
    private readonly repository: ProtectionRepository,
    private readonly clock: Clock,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  assess(row: ProtectionRow, now = this.clock.now()): Assessment {
    const input = {
      schedule: row.schedule,
      timezone: row.timezone,
      enabled: row.enabled,
      maxAgeHours: row.maxAgeHours,
      scheduledSince: row.scheduleUpdatedAt,
      lastSuccessAt: row.lastSuccessAt,
      lastFinishedStatus: row.lastFinishedStatus,
    };
    const limit = maxAgeMs(input, now);
    return {
      protection: protectionOf(input, now),
      maxAgeMs: limit,
      effectiveMaxAgeHours: limit === null ? null : Math.round((limit / HOUR_MS) * 1000) / 1000,
    };
  }

  /** The databases of a tenant (every tenant when null), each with its assessment. */
  async ofTenant(tenantId: string | null, now = this.clock.now()) {
    return (await this.repository.find({ tenantId })).map((row) => ({ row, ...this.assess(row, now) }));
  }

  /** The assessment of each of `ids`, by id. */
  async ofDatabases(ids: string[], now = this.clock.now()): Promise<Map<string, ProtectionRow & Assessment>> {
    const rows = ids.length ? await this.repository.find({ ids }) : [];
    return new Map(rows.map((row) => [row.id, { ...row, ...this.assess(row, now) }]));
  }
}
