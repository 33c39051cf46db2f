import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';
import type { ActivityLog, Prisma } from '../../generated/prisma/client';

export type ActivityLogWithUser = ActivityLog & { user: { username: string } | null };

/** Rows one DELETE of the clean-up removes: a huge backlog goes in many short transactions, not one. */
export const ACTIVITY_LOG_DELETE_BATCH = 10_000;

@Injectable()
export class ActivityLogsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(data: Prisma.ActivityLogUncheckedCreateInput): Promise<void> {
    await this.prisma.activityLog.create({ data });
  }

  list(where: Prisma.ActivityLogWhereInput, skip: number, take: number): Promise<[ActivityLogWithUser[], number]> {
    // Page and total side by side: a transaction gave them no common snapshot (READ COMMITTED), only
    // BEGIN and COMMIT round trips.
    return Promise.all([
      this.prisma.activityLog.findMany({
        where,
        orderBy: { createdAt: 'desc' },
        skip,
        take,
        include: { user: { select: { username: true } } },
      }),
      this.prisma.activityLog.count({ where }),
    ]);
  }

  /**
   * Deletes the entries created before `cutoff`, `ACTIVITY_LOG_DELETE_BATCH` rows per statement
   * (each its own transaction), until none is left or `signal` aborts; returns how many went.
   */
  async deleteOlderThan(cutoff: Date, signal?: AbortSignal): Promise<number> {
    let removed = 0;
    while (!signal?.aborted) {
      const count = await this.prisma.$executeRaw`
        DELETE FROM activity_logs WHERE id IN (
          SELECT id FROM activity_logs WHERE created_at < ${cutoff} LIMIT ${ACTIVITY_LOG_DELETE_BATCH})`;
      removed += count;
      if (count < ACTIVITY_LOG_DELETE_BATCH) break;
    }
    return removed;
  }
}
