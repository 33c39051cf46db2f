import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service';

@Injectable()
export class HealthRepository {
  constructor(private readonly prisma: PrismaService) {}

  async ping(): Promise<void> {
    await this.prisma.$queryRaw`SELECT 1`;
  }

  /** Backups queued by an `api` process that no worker took yet, and the workers seen since `since`. */
  async jobs(since: Date): Promise<{ waiting: number; workers: number }> {
    const [waiting, workers] = await this.prisma.$transaction([
      this.prisma.backup.count({ where: { status: 'pending', workerId: null } }),
      this.prisma.worker.count({ where: { seenAt: { gte: since } } }),
    ]);
    return { waiting, workers };
  }
}
