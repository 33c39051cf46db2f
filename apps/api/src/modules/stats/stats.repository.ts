import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';
import { Prisma } from '../../generated/prisma/client';

export interface TenantCounts {
  databases: number;
  backupsSince: number;
  successfulSince: number;
  failedSince: number;
  storedBytes: bigint;
}

@Injectable()
export class StatsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The tenant's counters, read from one snapshot so that they agree with each other. */
  async counts(tenantId: string, since: Date): Promise<TenantCounts> {
    const recent = { tenantId, createdAt: { gte: since } };
    const [databases, backupsSince, successfulSince, failedSince, stored] = await this.prisma.$transaction(
      [
        this.prisma.database.count({ where: { tenantId } }),
        this.prisma.backup.count({ where: recent }),
        // Retention removes only successful backups: a `deleted` one succeeded (its objects are gone since).
        this.prisma.backup.count({ where: { ...recent, status: { in: ['success', 'deleted'] } } }),
        this.prisma.backup.count({ where: { ...recent, status: 'failed' } }),
        // What is stored now: `deleted` backups hold nothing any more.
        this.prisma.backup.aggregate({ where: { tenantId, status: 'success' }, _sum: { sizeBytes: true } }),
      ],
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
    );
    return { databases, backupsSince, successfulSince, failedSince, storedBytes: stored._sum.sizeBytes ?? 0n };
  }
}
