import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';
import type { ActivityLog, Prisma } from '../../generated/prisma/client';

export type ActivityLogWithUser = ActivityLog & { user: { username: string } | null };

@Injectable()
export class ActivityLogsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(data: Prisma.ActivityLogUncheckedCreateInput): Promise<void> {
    await this.prisma.activityLog.create({ data });
  }

  list(where: Prisma.ActivityLogWhereInput, skip: number, take: number): Promise<[ActivityLogWithUser[], number]> {
    return this.prisma.$transaction([
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
}
