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

interface CountsRow {
  databases: number;
  backups_since: number;
  successful_since: number;
  failed_since: number;
  /** Sums as text: bigint, exact. */
  stored_bytes: string;
  rate: unknown;
  storages: unknown;
  daily: unknown;
}

/** A json column of a raw query: parsed by the driver, or its text. */
const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

@Injectable()
export class StatsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The counters of a tenant (every tenant when null), read by one statement, so from one snapshot:
   * they agree with each other without a transaction (which cost eleven round trips a request).
   * Every number is counted by PostgreSQL (GROUP BY / FILTER), no row is loaded.
   */
  async counts(tenantId: string | null, windows: CountWindows): Promise<TenantCounts> {
    const rows = await this.prisma.$queryRaw<CountsRow[]>`
      SELECT
        (SELECT count(*)::int FROM databases d WHERE ${ofTenant('d', tenantId)}) AS databases,
        (SELECT count(*)::int FROM backups b
          WHERE ${ofTenant('b', tenantId)} AND b.created_at >= ${windows.since}) AS backups_since,
        -- Retention removes only successful backups: a deleted one succeeded (its objects are gone since).
        (SELECT count(*)::int FROM backups b
          WHERE ${ofTenant('b', tenantId)} AND b.created_at >= ${windows.since}
            AND b.status IN ('success', 'deleted')) AS successful_since,
        (SELECT count(*)::int FROM backups b
          WHERE ${ofTenant('b', tenantId)} AND b.created_at >= ${windows.since} AND b.status = 'failed') AS failed_since,
        -- What is stored now: deleted backups hold nothing any more.
        (SELECT coalesce(sum(b.size_bytes), 0)::text FROM backups b
          WHERE ${ofTenant('b', tenantId)} AND b.status = 'success') AS stored_bytes,
        (SELECT json_build_object(
                  'successes', count(*) FILTER (WHERE b.status IN ('success', 'deleted')),
                  'failures', count(*) FILTER (WHERE b.status = 'failed'))
          FROM backups b
          WHERE ${ofTenant('b', tenantId)} AND b.created_at >= ${windows.rateSince}) AS rate,
        (SELECT coalesce(json_agg(json_build_object('id', s.id, 'tenant_id', s.tenant_id, 'name', s.name,
                                                    'bytes', s.bytes::text, 'objects', s.objects)
                                  ORDER BY s.name, s.id), '[]'::json)
          FROM (SELECT s.id, s.tenant_id, s.name,
                       coalesce(sum(b.size_bytes), 0) AS bytes, count(b.id)::int AS objects
                FROM storages s
                LEFT JOIN backups b ON b.storage_id = s.id AND b.status = 'success'
                WHERE ${ofTenant('s', tenantId)}
                GROUP BY s.id) s) AS storages,
        (SELECT coalesce(json_agg(json_build_object('date', x.date, 'successes', x.successes,
                                                    'failures', x.failures, 'bytes', x.bytes::text)
                                  ORDER BY x.date), '[]'::json)
          FROM (SELECT to_char(d.day, 'YYYY-MM-DD') AS date,
                       count(b.id) FILTER (WHERE b.status IN ('success', 'deleted'))::int AS successes,
                       count(b.id) FILTER (WHERE b.status = 'failed')::int AS failures,
                       coalesce(sum(b.size_bytes) FILTER (WHERE b.status IN ('success', 'deleted')), 0) AS bytes
                FROM generate_series(${windows.firstDay}::timestamp, ${windows.lastDay}::timestamp,
                                     interval '1 day') AS d(day)
                LEFT JOIN backups b
                  ON ${ofTenant('b', tenantId)}
                 AND b.created_at >= d.day AT TIME ZONE 'UTC'
                 AND b.created_at < (d.day + interval '1 day') AT TIME ZONE 'UTC'
                GROUP BY d.day) x) AS daily`;
    const row = rows[0];
    const rate = json<{ successes: number; failures: number }>(row.rate);
    return {
      databases: row.databases,
      backupsSince: row.backups_since,
      successfulSince: row.successful_since,
      failedSince: row.failed_since,
      storedBytes: BigInt(row.stored_bytes),
      rateSuccesses: rate.successes,
      rateFailures: rate.failures,
      storages: json<{ id: string; tenant_id: string; name: string; bytes: string; objects: number }[]>(
        row.storages,
      ).map((storage) => ({
        id: storage.id,
        tenantId: storage.tenant_id,
        name: storage.name,
        bytes: BigInt(storage.bytes),
        objects: storage.objects,
      })),
      daily: json<{ date: string; successes: number; failures: number; bytes: string }[]>(row.daily).map((day) => ({
        ...day,
        bytes: BigInt(day.bytes),
      })),
    };
  }
}
