import { Injectable } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client';
import { ProtectionRepository, toRow } from '../protection/protection.repository';
import { PrismaService } from '../../prisma/prisma.service';

/** Cumulative counts of a histogram: `buckets[i]` observations at most `bounds[i]`. */
export interface HistogramCounts {
  buckets: number[];
  count: number;
  sum: number;
}

export interface DatabaseFacts {
  tenant: string;
  database: string;
  schedule: string | null;
  timezone: string;
  enabled: boolean;
  maxAgeHours: number | null;
  scheduleUpdatedAt: Date;
  /** The newest success still kept (`success`; a backup removed by retention protects nothing). */
  lastSuccessAt: Date | null;
  /** The newest backup that ended; a `deleted` one had succeeded. */
  lastFinishedStatus: 'success' | 'failed' | null;
}

/** What every replica reads alike at scrape time: the service database's view, as of its clock. */
export interface ClusterFacts {
  now: Date;
  backups: { status: string; trigger: string; count: number }[];
  restores: { status: string; count: number }[];
  /** Finished backups' durations in ms, by outcome (`success`, which includes `deleted`, or `failed`). */
  durations: { outcome: 'success' | 'failed'; counts: HistogramCounts }[];
  /** Successful backups' stored sizes in bytes (`success` and `deleted`). */
  sizes: HistogramCounts;
  /** Bytes stored by every successful backup ever (`success` and `deleted`), and by those still kept. */
  writtenBytes: number;
  storedBytes: number;
  databases: DatabaseFacts[];
  queue: { kind: 'backup' | 'restore'; depth: number; oldestAgeSeconds: number }[];
}

/** `ARRAY[count(*) FILTER (WHERE <value> <= b1), …]` for the bounds (numbers from code, sent as parameters). */
function cumulative(value: Prisma.Sql, bounds: readonly number[]): Prisma.Sql {
  const counts = bounds.map((bound) => Prisma.sql`count(*) FILTER (WHERE ${value} <= ${bound}::float8)`);
  return Prisma.sql`ARRAY[${Prisma.join(counts)}]::float8[]`;
}

interface HistogramRow {
  buckets: number[];
  count: number;
  sum: number | null;
}

const histogram = (row: HistogramRow | undefined, bounds: readonly number[]): HistogramCounts => ({
  buckets: row?.buckets.map(Number) ?? bounds.map(() => 0),
  count: Number(row?.count ?? 0),
  sum: Number(row?.sum ?? 0),
});

@Injectable()
export class MetricsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly protectionRows: ProtectionRepository,
  ) {}

  /**
   * Every cluster-wide fact of /metrics, from one snapshot (repeatable read) so that they agree
   * with each other: a handful of aggregate queries, whatever the number of backups.
   */
  async facts(durationBoundsMs: readonly number[], sizeBounds: readonly number[]): Promise<ClusterFacts> {
    // Failed jobs that a sweeper failed have no duration_ms: their start to their end.
    const durationMs = Prisma.sql`coalesce(duration_ms::float8, extract(epoch FROM (finished_at - started_at)) * 1000)`;
    const [clock, backups, restores, durations, sizes, databases, queue] = await this.prisma.$transaction(
      [
        this.prisma.$queryRaw<{ now: Date }[]>`SELECT now() AS now`,
        this.prisma.$queryRaw<{ status: string; trigger: string; count: number }[]>`
          SELECT status::text AS status, "trigger"::text AS trigger, count(*)::float8 AS count
          FROM backups GROUP BY 1, 2`,
        this.prisma.$queryRaw<{ status: string; count: number }[]>`
          SELECT status::text AS status, count(*)::float8 AS count FROM restores GROUP BY 1`,
        this.prisma.$queryRaw<(HistogramRow & { outcome: 'success' | 'failed' })[]>`
          SELECT CASE WHEN status = 'failed' THEN 'failed' ELSE 'success' END AS outcome,
                 ${cumulative(durationMs, durationBoundsMs)} AS buckets,
                 count(*)::float8 AS count, sum(${durationMs})::float8 AS sum
          FROM backups
          WHERE status IN ('success', 'deleted', 'failed') AND ${durationMs} IS NOT NULL
          GROUP BY 1`,
        this.prisma.$queryRaw<(HistogramRow & { stored: number | null })[]>`
          SELECT ${cumulative(Prisma.sql`size_bytes`, sizeBounds)} AS buckets,
                 count(*)::float8 AS count, sum(size_bytes)::float8 AS sum,
                 sum(size_bytes) FILTER (WHERE status = 'success')::float8 AS stored
          FROM backups WHERE status IN ('success', 'deleted') AND size_bytes IS NOT NULL`,
        // The same facts the protection of a database is decided from everywhere else.
        this.protectionRows.query({}),
        // A retry waits its database's delay before it is due: it is not late meanwhile.
        this.prisma.$queryRaw<{ kind: 'backup' | 'restore'; depth: number; oldest: number | null }[]>`
          SELECT 'backup' AS kind, count(*)::float8 AS depth,
                 greatest(0, extract(epoch FROM (now() - min(b.created_at
                   + CASE WHEN b.attempt > 1 THEN make_interval(secs => d.retry_delay_seconds) ELSE interval '0' END))))::float8
                   AS oldest
          FROM backups b JOIN databases d ON d.id = b.database_id
          WHERE b.status = 'pending'
          UNION ALL
          SELECT 'restore', count(*)::float8, greatest(0, extract(epoch FROM (now() - min(created_at))))::float8
          FROM restores WHERE status = 'pending'`,
      ],
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
    );
    return {
      now: clock[0].now,
      backups: backups.map((row) => ({ ...row, count: Number(row.count) })),
      restores: restores.map((row) => ({ ...row, count: Number(row.count) })),
      durations: durations.map((row) => ({ outcome: row.outcome, counts: histogram(row, durationBoundsMs) })),
      sizes: histogram(sizes[0], sizeBounds),
      writtenBytes: Number(sizes[0]?.sum ?? 0),
      storedBytes: Number(sizes[0]?.stored ?? 0),
      databases: databases.map(toRow).map((row) => ({
        tenant: row.tenantSlug,
        database: row.name,
        schedule: row.schedule,
        timezone: row.timezone,
        enabled: row.enabled,
        maxAgeHours: row.maxAgeHours,
        scheduleUpdatedAt: row.scheduleUpdatedAt,
        lastSuccessAt: row.lastSuccessAt,
        lastFinishedStatus: row.lastFinishedStatus,
      })),
      queue: queue.map((row) => ({
        kind: row.kind,
        depth: Number(row.depth),
        oldestAgeSeconds: Number(row.oldest ?? 0),
      })),
    };
  }
}
