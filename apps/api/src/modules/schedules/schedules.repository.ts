import { Injectable } from '@nestjs/common';
import type { Database } from '../../generated/prisma/client';
import { PrismaService } from '../../prisma/prisma.service';

@Injectable()
export class SchedulesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Every tenant's databases that run on a schedule now. */
  scheduled(): Promise<Database[]> {
    return this.prisma.database.findMany({ where: { enabled: true, schedule: { not: null } }, orderBy: { id: 'asc' } });
  }

  /** The newest slot recorded for the database (run or skipped), or null. */
  async lastSlot(databaseId: string): Promise<Date | null> {
    const row = await this.prisma.backup.findFirst({
      where: { databaseId, scheduledFor: { not: null } },
      orderBy: { scheduledFor: 'desc' },
      select: { scheduledFor: true },
    });
    return row?.scheduledFor ?? null;
  }

  /** Whether a backup of the database is waiting or running (any trigger). */
  async busy(databaseId: string): Promise<boolean> {
    return (await this.prisma.backup.count({ where: { databaseId, status: { in: ['pending', 'running'] } } })) > 0;
  }
}
