import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';
import { Prisma } from '../../generated/prisma/client';

export interface TenantCounts {
  databases: number;
  backupsSince: number;
  successfulSince: number;
  failedSince: number;
  storedBytes: bigint;
  /** Over the rate window: backups that succeeded (removed since included) and that failed. */
  rateSuccesses: number;
  rateFailures: number;
  storages: { id: string; tenantId: string; name: string; bytes: bigint; objects: number }[];
  daily: { date: string; successes: number; failures: number; bytes: bigint }[];
}

export interface CountWindows {
  /** The `*_24h` counters count backups created since then. */
  since: Date;
  /** The success rate counts backups created since then. */
  rateSince: Date;
  /** The daily series: UTC days from `firstDay` to `lastDay` (YYYY-MM-DD), both included. */
  firstDay: string;
  lastDay: string;
}

/** `tenant_id = …` on `alias`, or every row when `tenantId` is null (the instance admin's `?tenant=all`). */
const ofTenant = (alias: string, tenantId: string | null) =>
  tenantId === null ? Prisma.sql`TRUE` : Prisma.sql`${Prisma.raw(alias)}.tenant_id = ${tenantId}::uuid`;

@Injectable()
export class StatsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The counters of a tenant (every tenant when null), read from one snapshot so that they agree
   * with each other; every number is counted by PostgreSQL (GROUP BY / FILTER), no row is loaded.
   */
  async counts(tenantId: string | null, windows: CountWindows): Promise<TenantCounts> {
    const tenant = tenantId === null ? {} : { tenantId };
    const recent = { ...tenant, createdAt: { gte: windows.since } };
    const [databases, backupsSince, successfulSince, failedSince, stored, rate, storages, daily] =
      await this.prisma.$transaction(
        [
          this.prisma.database.count({ where: tenant }),
          this.prisma.backup.count({ where: recent }),
          // Retention removes only successful backups: a `deleted` one succeeded (its objects are gone since).
          this.prisma.backup.count({ where: { ...recent, status: { in: ['success', 'deleted'] } } }),
          this.prisma.backup.count({ where: { ...recent, status: 'failed' } }),
          // What is stored now: `deleted` backups hold nothing any more.
          this.prisma.backup.aggregate({ where: { ...tenant, status: 'success' }, _sum: { sizeBytes: true } }),
          this.prisma.$queryRaw<{ successes: number; failures: number }[]>`
            SELECT count(*) FILTER (WHERE b.status IN ('success', 'deleted'))::int AS successes,
                   count(*) FILTER (WHERE b.status = 'failed')::int AS failures
            FROM backups b
            WHERE ${ofTenant('b', tenantId)} AND b.created_at >= ${windows.rateSince}`,
          this.prisma.$queryRaw<{ id: string; tenant_id: string; name: string; bytes: bigint; objects: number }[]>`
            SELECT s.id, s.tenant_id, s.name,
                   coalesce(sum(b.size_bytes), 0)::bigint AS bytes, count(b.id)::int AS objects
            FROM storages s
            LEFT JOIN backups b ON b.storage_id = s.id AND b.status = 'success'
            WHERE ${ofTenant('s', tenantId)}
            GROUP BY s.id
            ORDER BY s.name, s.id`,
          this.prisma.$queryRaw<{ date: string; successes: number; failures: number; bytes: bigint }[]>`
            SELECT to_char(d.day, 'YYYY-MM-DD') AS date,
                   count(b.id) FILTER (WHERE b.status IN ('success', 'deleted'))::int AS successes,
                   count(b.id) FILTER (WHERE b.status = 'failed')::int AS failures,
                   coalesce(sum(b.size_bytes) FILTER (WHERE b.status IN ('success', 'deleted')), 0)::bigint AS bytes
            FROM generate_series(${windows.firstDay}::timestamp, ${windows.lastDay}::timestamp, interval '1 day') AS d(day)
            LEFT JOIN backups b
              ON ${ofTenant('b', tenantId)}
             AND b.created_at >= d.day AT TIME ZONE 'UTC'
             AND b.created_at < (d.day + interval '1 day') AT TIME ZONE 'UTC'
            GROUP BY d.day
            ORDER BY d.day`,
        ],
        { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
      );
    return {
      databases,
      backupsSince,
      successfulSince,
      failedSince,
      storedBytes: stored._sum.sizeBytes ?? 0n,
      rateSuccesses: rate[0]?.successes ?? 0,
      rateFailures: rate[0]?.failures ?? 0,
      storages: storages.map((row) => ({
        id: row.id,
        tenantId: row.tenant_id,
        name: row.name,
        bytes: BigInt(row.bytes),
        objects: row.objects,
      })),
      daily: daily.map((row) => ({ ...row, bytes: BigInt(row.bytes) })),
    };
  }
}
