import { Injectable } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client';
import { PrismaService } from '../../prisma/prisma.service';

/** What the protection of one database is decided from: its settings and its newest outcomes. */
export interface ProtectionRow {
  id: string;
  tenantId: string;
  tenantSlug: string;
  name: string;
  schedule: string | null;
  timezone: string;
  enabled: boolean;
  maxAgeHours: number | null;
  scheduleUpdatedAt: Date;
  notificationId: string | null;
  stalenessNotified: string | null;
  /** The newest success still kept (`success`; a removed backup protects nothing any more). */
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  /** The status of the newest backup that ended; a `deleted` one had succeeded. */
  lastFinishedStatus: 'success' | 'failed' | null;
}

export interface RawProtectionRow {
  id: string;
  tenant_id: string;
  tenant_slug: string;
  name: string;
  schedule: string | null;
  timezone: string;
  enabled: boolean;
  max_age_hours: number | null;
  schedule_updated_at: Date;
  notification_id: string | null;
  staleness_notified: string | null;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  last_finished_status: string | null;
}

/** The newest outcomes of databases, read with one query (three index lookups per database). */
@Injectable()
export class ProtectionRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The databases of one tenant (every tenant when null), or only `ids`, by name: a query that
   * may also run inside a batch transaction (metrics read it in their snapshot); `toRow` maps it.
   */
  query(filter: { tenantId?: string | null; ids?: string[] }) {
    const conditions: Prisma.Sql[] = [];
    if (filter.tenantId) conditions.push(Prisma.sql`d.tenant_id = ${filter.tenantId}::uuid`);
    if (filter.ids) conditions.push(Prisma.sql`d.id = ANY(${filter.ids}::uuid[])`);
    const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
    return this.prisma.$queryRaw<RawProtectionRow[]>`
      SELECT d.id, d.tenant_id, t.slug AS tenant_slug, d.name, d.schedule, d.timezone, d.enabled, d.max_age_hours,
             d.schedule_updated_at, d.notification_id, d.staleness_notified,
             s.last_success_at, f.last_failure_at, l.status::text AS last_finished_status
      FROM databases d
      JOIN tenants t ON t.id = d.tenant_id
      LEFT JOIN LATERAL (SELECT max(b.finished_at) AS last_success_at FROM backups b
                         WHERE b.database_id = d.id AND b.status = 'success') s ON true
      LEFT JOIN LATERAL (SELECT max(b.finished_at) AS last_failure_at FROM backups b
                         WHERE b.database_id = d.id AND b.status = 'failed') f ON true
      LEFT JOIN LATERAL (SELECT b.status FROM backups b
                         WHERE b.database_id = d.id AND b.status IN ('success', 'failed', 'deleted')
                           AND b.finished_at IS NOT NULL
                         ORDER BY b.finished_at DESC LIMIT 1) l ON true
      ${where}
      ORDER BY d.name, d.id`;
  }

  async find(filter: { tenantId?: string | null; ids?: string[] }): Promise<ProtectionRow[]> {
    return (await this.query(filter)).map(toRow);
  }
}

export function toRow(raw: RawProtectionRow): ProtectionRow {
  return {
    id: raw.id,
    tenantId: raw.tenant_id,
    tenantSlug: raw.tenant_slug,
    name: raw.name,
    schedule: raw.schedule,
    timezone: raw.timezone,
    enabled: raw.enabled,
    maxAgeHours: raw.max_age_hours,
    scheduleUpdatedAt: raw.schedule_updated_at,
    notificationId: raw.notification_id,
    stalenessNotified: raw.staleness_notified,
    lastSuccessAt: raw.last_success_at,
    lastFailureAt: raw.last_failure_at,
    lastFinishedStatus:
      raw.last_finished_status === null ? null : raw.last_finished_status === 'failed' ? 'failed' : 'success',
  };
}
